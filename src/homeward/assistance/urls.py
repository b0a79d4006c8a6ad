from django.urls import path

from homeward.assistance import views

app_name = "assistance"

urlpatterns = [
    path("providers/", views.provider_list, name="provider_list"),
    path("providers/new/", views.provider_create, name="provider_create"),
    path("providers/<int:provider_id>/", views.provider_detail, name="provider_detail"),
    path("providers/<int:provider_id>/edit/", views.provider_edit, name="provider_edit"),
    path("providers/<int:provider_id>/vetting/", views.provider_vetting, name="provider_vetting"),
    # Procurement of an in-kind component
    path("components/<int:component_id>/procurement/", views.component_procurement, name="component_procurement"),
    path("components/<int:component_id>/procurement/quotes/", views.quote_record, name="quote_record"),
    path("components/<int:component_id>/procurement/deliveries/", views.delivery_record, name="delivery_record"),
    path("components/<int:component_id>/procurement/invoices/", views.invoice_record, name="invoice_record"),
    path("quotes/<int:quote_id>/choose/", views.quote_choose, name="quote_choose"),
    path("quotes/<int:quote_id>/order/", views.po_issue, name="po_issue"),
    path("quotes/<int:quote_id>/scan/", views.quote_scan, name="quote_scan"),
    path("purchase-orders/<int:order_id>/cancel/", views.po_cancel, name="po_cancel"),
    path("deliveries/<int:delivery_id>/evidence/", views.delivery_evidence, name="delivery_evidence"),
    path("invoices/", views.invoices, name="invoices"),
    path("invoices/<int:invoice_id>/approve/", views.invoice_approve, name="invoice_approve"),
    path("invoices/<int:invoice_id>/pay/", views.invoice_pay, name="invoice_pay"),
    path("invoices/<int:invoice_id>/reject/", views.invoice_reject, name="invoice_reject"),
    path("invoices/<int:invoice_id>/reverse/", views.invoice_reverse, name="invoice_reverse"),
    path("invoices/<int:invoice_id>/scan/", views.invoice_scan, name="invoice_scan"),
]
