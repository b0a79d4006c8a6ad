"""The production stack on loopback, from deploy/'s own files: PostgreSQL, gunicorn, the worker, nginx with TLS.

Shared by tests/stack/test_stack.py and bench/soak.py. Everything lives in one temporary directory:
a PostgreSQL cluster of its own (initdb as the postgres user when we are root, as scripts/test.sh does),
the commands of deploy/systemd's units (``homeward serve``, ``homeward worker``) run with a production
environment (no demo, a random secret key, fresh Fernet keys) and Debian's nginx as a non-daemon master
with deploy/nginx/homeward.conf, its ports and paths replaced, and a self-signed certificate for 127.0.0.1.

``stack.stop()`` stops each process the way systemd would (nginx: QUIT, gunicorn and the worker: TERM,
PostgreSQL: a fast shutdown) and records the exit codes; nothing is killed unless it failed to stop.
"""

from __future__ import annotations

import contextlib
import datetime
import glob
import ipaddress
import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
HOST = "127.0.0.1"
PASSWORD = "stack-test-Passw0rd!-not-secret"  # noqa: S105 - a throw-away installation's user

# The lines of deploy/nginx/homeward.conf the stack replaces: each must be there, so the template
# cannot drift from what the test starts.
_NGINX_SITE = DEPLOY / "nginx" / "homeward.conf"
_WEB_UNIT = DEPLOY / "systemd" / "homeward-web.service"
_WORKER_UNIT = DEPLOY / "systemd" / "homeward-worker.service"
_ENV_EXAMPLE = DEPLOY / "homeward.env.example"
_INSTALLED_BIN = "/opt/homeward/bin/"


class StackError(RuntimeError):
    """The stack did not start: the message names the part and ends with its log."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def port_is_free(port: int) -> bool:
    """Nothing listens on the port: a server could bind it now (servers set SO_REUSEADDR, so connections
    the stack closed, still in TIME_WAIT, do not count)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((HOST, port))
        except OSError:
            return False
        return True


def _wait_for_port(port: int, process: subprocess.Popen[bytes], name: str, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise StackError(f"{name} exited with {process.returncode} before listening:\n{_tail(log)}")
        with socket.socket() as s:
            s.settimeout(0.5)
            if s.connect_ex((HOST, port)) == 0:
                return
        time.sleep(0.1)
    raise StackError(f"{name} did not listen on {HOST}:{port} within {seconds:.0f} s:\n{_tail(log)}")


def _tail(log: Path, lines: int = 40) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def env_example_names() -> set[str]:
    """The variables deploy/homeward.env.example sets."""
    names = set()
    for line in _ENV_EXAMPLE.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            names.add(line.split("=", 1)[0])
    return names


def unit_command(unit: Path, bin_dir: Path) -> list[str]:
    """The ExecStart of a systemd unit, with the installed venv's bin directory replaced by ``bin_dir``."""
    for line in unit.read_text().splitlines():
        if line.startswith("ExecStart="):
            argv = shlex.split(line.removeprefix("ExecStart="))
            if not argv[0].startswith(_INSTALLED_BIN):
                raise StackError(f"{unit.name}: ExecStart does not start with {_INSTALLED_BIN}")
            return [str(bin_dir / argv[0].removeprefix(_INSTALLED_BIN)), *argv[1:]]
    raise StackError(f"{unit.name} has no ExecStart")


def render_site(replacements: Mapping[str, str]) -> str:
    text = _NGINX_SITE.read_text()
    for old, new in replacements.items():
        if old not in text:
            raise StackError(f"deploy/nginx/homeward.conf no longer contains {old!r}: update tests/stack/stack.py")
        text = text.replace(old, new)
    return text


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 (its own authority, so a client can verify against it) and its key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_path.chmod(0o600)
    return cert_path, key_path


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4].split(".")[0]))
    if not found:
        raise StackError("No PostgreSQL server (initdb) found: scripts/test.sh installs it.")
    return Path(found[-1]).parent


def clean_environment() -> dict[str, str]:
    """The caller's environment without any Homeward or Django setting (the tests run in demo mode)."""
    dropped = ("HOMEWARD_", "DJANGO_", "DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS")
    return {k: v for k, v in os.environ.items() if not k.startswith(dropped)}


@dataclass
class Stack:
    root: Path
    https_port: int = field(default_factory=free_port)
    http_port: int = field(default_factory=free_port)
    app_port: int = field(default_factory=free_port)
    pg_port: int = field(default_factory=free_port)
    app_workers: int = 2
    extra_env: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    exit_codes: dict[str, int | None] = field(default_factory=dict)
    cert: Path = Path()
    _pg_running: bool = False

    @property
    def url(self) -> str:
        return f"https://{HOST}:{self.https_port}"

    @property
    def http_url(self) -> str:
        return f"http://{HOST}:{self.http_port}"

    @property
    def ports(self) -> list[int]:
        return [self.https_port, self.http_port, self.app_port, self.pg_port]

    @property
    def bin_dir(self) -> Path:
        return Path(sys.executable).parent

    def log(self, name: str) -> Path:
        return self.root / "logs" / f"{name}.log"

    # --- PostgreSQL -----------------------------------------------------------------------------------------
    def _pg(self, tool: str, *args: str, check: bool = True, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        command = [str(_pg_bin() / tool), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, cwd=self.root / "pg", **kwargs)  # type: ignore[call-overload]  # noqa: S603

    def start_postgres(self) -> None:
        pg = self.root / "pg"
        pg.mkdir()
        if os.geteuid() == 0:
            shutil.chown(pg, "postgres")
        with open(self.log("initdb"), "wb") as out:
            init = ["-D", str(pg / "data"), "-A", "trust", "--username=homeward", "-E", "UTF8"]
            try:
                self._pg("initdb", *init, "--locale=C.UTF-8", stdout=out, stderr=out)
            except subprocess.CalledProcessError:
                shutil.rmtree(pg / "data", ignore_errors=True)
                self._pg("initdb", *init, "--locale=C", stdout=out, stderr=out)
        # A throw-away cluster: durability is pointless, speed is not.
        options = f"-p {self.pg_port} -k {pg} -c listen_addresses={HOST} -c fsync=off -c synchronous_commit=off"
        self._pg("pg_ctl", "-D", str(pg / "data"), "-o", options, "-w", "-l", str(pg / "server.log"), "start",
                 stdout=subprocess.DEVNULL)  # fmt: skip
        self._pg_running = True
        subprocess.run(  # noqa: S603
            [str(_pg_bin() / "createdb"), "-h", HOST, "-p", str(self.pg_port), "-U", "homeward", "homeward"], check=True
        )

    # --- Homeward -------------------------------------------------------------------------------------------
    def production_environment(self) -> dict[str, str]:
        from cryptography.fernet import Fernet

        var = self.root / "var"
        return {
            **clean_environment(),
            "DJANGO_SETTINGS_MODULE": "homeward.settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": f"postgres://homeward@{HOST}:{self.pg_port}/homeward",
            "ALLOWED_HOSTS": HOST,
            "CSRF_TRUSTED_ORIGINS": self.url,
            "HOMEWARD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "HOMEWARD_INDEX_KEY": secrets.token_urlsafe(32),
            "HOMEWARD_BACKUP_KEY": Fernet.generate_key().decode(),
            "HOMEWARD_HTTPS": "true",
            "HOMEWARD_VAR_DIR": str(var),
            "HOMEWARD_STATIC_ROOT": str(var / "static"),
            "HOMEWARD_FILES_DIR": str(var / "files"),
            "HOMEWARD_BIND": f"{HOST}:{self.app_port}",
            "HOMEWARD_WORKERS": str(self.app_workers),
            "HOMEWARD_FORWARDED_ALLOW_IPS": HOST,
            "HOMEWARD_CLIENT_IP_HEADER": "X-Real-IP",
            **self.extra_env,
        }

    def homeward(self, *args: str, input_text: str | None = None) -> str:
        """Run ``homeward ARGS`` against the stack's installation; returns its output, raises with it on failure."""
        result = subprocess.run(  # noqa: S603
            [str(self.bin_dir / "homeward"), *args],
            env=self.env,
            cwd=self.root,
            input=input_text,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise StackError(f"homeward {' '.join(args)} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
        return result.stdout

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen[bytes]:
        out = open(self.log(name), "wb")  # noqa: SIM115 - closed by the OS when the process ends; kept for its life
        process = subprocess.Popen(command, env=self.env, cwd=self.root, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
        out.close()  # the child holds its own descriptor
        self.processes[name] = process
        return process

    def start_app(self) -> None:
        web = self._spawn("gunicorn", unit_command(_WEB_UNIT, self.bin_dir))
        _wait_for_port(self.app_port, web, "gunicorn (homeward serve)", self.log("gunicorn"), seconds=90)

    def start_worker(self) -> None:
        worker = self._spawn("worker", unit_command(_WORKER_UNIT, self.bin_dir))
        time.sleep(0.5)
        if worker.poll() is not None:
            raise StackError(f"the worker exited with {worker.returncode}:\n{_tail(self.log('worker'))}")

    # --- nginx ----------------------------------------------------------------------------------------------
    def start_nginx(self) -> None:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            raise StackError("Debian's nginx is not installed: apt-get install nginx (scripts/test.sh does).")
        prefix = self.root / "nginx"
        (prefix / "tmp").mkdir(parents=True)
        (prefix / "acme").mkdir()
        self.cert, key = self_signed_certificate(prefix)
        static = Path(self.env["HOMEWARD_STATIC_ROOT"])
        site = render_site(
            {
                "server 127.0.0.1:8000;": f"server {HOST}:{self.app_port};",
                "listen 80;": f"listen {HOST}:{self.http_port};",
                "listen [::]:80;": "",
                "listen 443 ssl http2;": f"listen {HOST}:{self.https_port} ssl http2;",
                "listen [::]:443 ssl http2;": "",
                "return 301 https://$host$request_uri;": f"return 301 https://$host:{self.https_port}$request_uri;",
                "server_name homeward.example.org;": f"server_name {HOST};",
                "/etc/letsencrypt/live/homeward.example.org/fullchain.pem": str(self.cert),
                "/etc/letsencrypt/live/homeward.example.org/privkey.pem": str(key),
                "/var/www/letsencrypt": str(prefix / "acme"),
                "alias /var/lib/homeward/static/;": f"alias {static}/;",
            }
        )
        (prefix / "homeward.conf").write_text(site)
        temp = "\n".join(
            f"  {kind}_temp_path {prefix / 'tmp' / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        # As root the master reads the key and the workers run as nobody: they only need the static files.
        (prefix / "nginx.conf").write_text(
            f"worker_processes 2;\npid {prefix / 'nginx.pid'};\nerror_log {self.log('nginx')} warn;\n"
            f"events {{ worker_connections 512; }}\n"
            f"http {{\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
            f"  access_log {self.log('nginx-access')};\n{temp}\n  include {prefix / 'homeward.conf'};\n}}\n"
        )
        command = [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(self.log("nginx")),
                   "-g", "daemon off;"]  # fmt: skip
        test = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)  # noqa: S603
        if test.returncode != 0:
            raise StackError(f"nginx -t refused the configuration:\n{test.stderr}")
        process = self._spawn("nginx", command)
        _wait_for_port(self.https_port, process, "nginx", self.log("nginx"))
        _wait_for_port(self.http_port, process, "nginx", self.log("nginx"))

    # --- The whole ------------------------------------------------------------------------------------------
    def start(self, prepare: Callable[[Stack], None] | None = None) -> None:
        """PostgreSQL, migrate, ``prepare(stack)`` (users, data), gunicorn, the worker, nginx."""
        self.root.chmod(0o755)  # nginx's workers (nobody) read the static files below it
        (self.root / "logs").mkdir()
        self.start_postgres()
        self.env = self.production_environment()
        self.homeward("migrate", "--no-input")
        if prepare is not None:
            prepare(self)
        self.start_app()
        self.start_worker()
        self.start_nginx()

    def stop(self) -> None:
        """Stop in reverse order, as systemd would; record each exit code (None: had to be killed)."""
        for name, sig, wait in (
            ("nginx", signal.SIGQUIT, 20),
            ("gunicorn", signal.SIGTERM, 40),
            ("worker", signal.SIGTERM, 60),
        ):
            process = self.processes.get(name)
            if process is None:
                continue
            if process.poll() is None:
                process.send_signal(sig)
                try:
                    process.wait(wait)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
                    self.exit_codes[name] = None
                    continue
            self.exit_codes[name] = process.returncode
        if self._pg_running:
            result = self._pg("pg_ctl", "-D", str(self.root / "pg" / "data"), "-m", "fast", "-w", "stop",
                              stdout=subprocess.DEVNULL, check=False)  # fmt: skip
            self.exit_codes["postgresql"] = result.returncode
            self._pg_running = False

    def session(self) -> requests.Session:
        """An HTTP client that verifies the stack's certificate. trust_env off: REQUESTS_CA_BUNDLE would replace
        ``verify``, and a proxy from the environment must not see loopback traffic."""
        session = requests.Session()
        session.trust_env = False
        session.verify = str(self.cert)
        return session

    def create_counsellor(self, username: str = "counsellor.gr", mission: str = "GR") -> None:
        """A host mission and a counsellor in it, as an IT officer would set them up (``homeward shell``)."""
        code = (
            "from homeward.accounts.models import Membership, Mission, User\n"
            "from homeward.accounts.roles import Role\n"
            f"m, _ = Mission.objects.get_or_create(code={mission!r}, defaults=dict(name='IOM {mission}', "
            f"country={mission!r}, kind=Mission.Kind.HOST))\n"
            f"u = User.objects.create_user({username!r}, password={PASSWORD!r}, first_name='Stack', last_name='Test')\n"
            "Membership.objects.create(user=u, mission=m, role=Role.COUNSELLOR)\n"
        )
        self.homeward("shell", "-c", code)


@contextlib.contextmanager
def running_stack(
    prepare: Callable[[Stack], None] | None = None, *, app_workers: int = 2, extra_env: Mapping[str, str] = ()
) -> Iterator[Stack]:
    """Start the stack, yield it, stop it (also after a failure) and delete its directory (kept on failure)."""
    root = Path(tempfile.mkdtemp(prefix="homeward-stack-"))
    stack = Stack(root=root, app_workers=app_workers, extra_env=dict(extra_env))
    ok = False
    try:
        stack.start(prepare)
        yield stack
        ok = True
    finally:
        stack.stop()
        if ok:
            shutil.rmtree(root, ignore_errors=True)
        else:
            print(f"stack directory kept for its logs: {root}", file=sys.stderr)  # noqa: T201


class _FormParser(HTMLParser):
    """The fields of the page's POST forms as a browser would send them untouched (no JavaScript)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, list[str]]] = []
        self._form: dict[str, list[str]] | None = None
        self._select: str | None = None
        self._first_option: str | None = None
        self._chosen = False
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = {}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type", "text") not in {"submit", "button", "image", "file"}:
            if a.get("type") in {"checkbox", "radio"} and "checked" not in a:
                return
            self._form.setdefault(name, []).append(a.get("value", "on" if a.get("type") == "checkbox" else ""))
        elif tag == "select" and name:
            self._select, self._first_option, self._chosen = name, None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a and not self._chosen:
                self._form[self._select] = [value]
                self._chosen = True
        elif tag == "textarea" and name:
            self._textarea = name
            self._form[name] = [""]

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form[self._textarea][0] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select and self._form is not None:
            if not self._chosen and self._first_option is not None:
                self._form[self._select] = [self._first_option]
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None


def post_form(html: str, containing: str) -> dict[str, list[str]]:
    """The POST form of ``html`` that has a field named ``containing``, with its default values (pages have
    several: the language switcher's comes first)."""
    parser = _FormParser()
    parser.feed(html)
    for form in parser.forms:
        if containing in form:
            return form
    raise StackError(f"no POST form with a {containing!r} field on the page")
