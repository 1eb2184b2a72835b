"""Real-terminal harness: run a command in tmux (or through ssh to a loopback sshd), read it.

Everything here drives real programs: a tmux server on its own socket (``tmux -L <unique>``, so a
test never touches the user's tmux), and an OpenSSH server bound to 127.0.0.1 on a free port with
its own config, keys and pid file in a temp folder. The benchmark (``benchmarks/bench_terminal.py``)
imports this module too, so nothing here depends on pytest except ``require_tmux`` and
``require_sshd``, which import it when called.
"""

from __future__ import annotations

import ctypes
import getpass
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import NoReturn, Self

REQUIRE_ENV = "TRAINER_REQUIRE_TERMINAL"
"""When this is ``1`` (CI sets it), a missing tmux/sshd fails the test instead of skipping it."""

DEFAULT_TERM = "xterm-256color"
SSHD = "/usr/sbin/sshd"
"""sshd must be started by its absolute path (it re-executes itself)."""

_CMD_TIMEOUT = 10.0
_SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"

Pattern = str | re.Pattern[str]
"""A plain string is looked for as a substring; a compiled regex is searched for."""


# --------------------------------------------------------------------------- requirements


def _missing(reason: str) -> NoReturn:
    import pytest

    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{reason} ({REQUIRE_ENV}=1: terminal tests must run here)", pytrace=False)
    pytest.skip(reason)


def require_tmux(tmux: str = "tmux") -> str:
    """Path of tmux; skip the test without it, or fail when ``TRAINER_REQUIRE_TERMINAL=1``."""
    found = shutil.which(tmux)
    if found is None:
        _missing(f"{tmux} not found: install tmux to run the terminal tests")
    return found


def require_program(program: str, package: str) -> str:
    """Path of ``program``; skip the test without it, or fail when ``TRAINER_REQUIRE_TERMINAL=1``
    (CI installs every program the tests use: a missing one must not pass as a skip there)."""
    found = shutil.which(program)
    if found is None:
        _missing(f"{program} not found: install {package} to run this test")
    return found


def require_sshd(sshd: str = SSHD, ssh: str = "ssh", ssh_keygen: str = "ssh-keygen") -> None:
    """Skip (or fail, when required) unless an OpenSSH server and client are installed."""
    missing = [
        name
        for name, ok in (
            (sshd, os.access(sshd, os.X_OK)),
            (ssh, shutil.which(ssh) is not None),
            (ssh_keygen, shutil.which(ssh_keygen) is not None),
        )
        if not ok
    ]
    if missing:
        _missing(
            f"{', '.join(missing)} not found: install openssh-server and openssh-client "
            "to run the ssh tests"
        )


# --------------------------------------------------------------------------- environment


def venv_bin() -> Path:
    """The bin folder of the running interpreter (the venv's, where ``trainer`` is installed)."""
    return Path(sys.executable).parent


def terminal_env(
    home: Path,
    *,
    term: str = DEFAULT_TERM,
    no_color: bool = False,
    extra: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The whole environment of a program under test: nothing leaks in from the caller's.

    TERM is ``xterm-256color``, COLORTERM is unset (as over a default ssh), HOME and the XDG
    folders are under ``home`` (created here), PATH starts with the venv's bin folder.
    """
    folders = {
        "XDG_CONFIG_HOME": home / "config",
        "XDG_STATE_HOME": home / "state",
        "XDG_DATA_HOME": home / "data",
        "XDG_CACHE_HOME": home / "cache",
        "XDG_RUNTIME_DIR": home / "runtime",
    }
    home.mkdir(parents=True, exist_ok=True)
    for folder in folders.values():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    env = {
        "TERM": term,
        "LANG": "C.UTF-8",
        "HOME": str(home),
        "PATH": f"{venv_bin()}:{_SYSTEM_PATH}",
        **{name: str(path) for name, path in folders.items()},
    }
    if no_color:
        env["NO_COLOR"] = "1"
    if extra:
        env.update(extra)
    env.pop("COLORTERM", None)
    return env


def _matches(pattern: Pattern, text: str) -> bool:
    if isinstance(pattern, re.Pattern):
        return pattern.search(text) is not None
    return pattern in text


def _describe(pattern: Pattern) -> str:
    if isinstance(pattern, re.Pattern):
        return f"/{pattern.pattern}/"
    return repr(pattern)


def _framed(screen: str) -> str:
    lines = screen.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    rule = "+" + "-" * 80
    return "\n".join([rule, *(f"|{line}" for line in lines), rule])


# --------------------------------------------------------------------------- tmux


#: Longest time a wait goes without looking at the screen when the command writes nothing.
RECHECK = 0.5


class TmuxTerminal:
    """A command running in a detached tmux session on a private socket.

    ``remain-on-exit`` is on, so after the command ends its last screen and its exit status
    stay readable (``pane_dead``, ``pane_dead_status``, ``pane_dead_signal``).
    """

    def __init__(
        self,
        command: Sequence[str],
        *,
        env: Mapping[str, str],
        width: int = 80,
        height: int = 24,
        cwd: Path | None = None,
        record: Path | None = None,
        tmux: str = "tmux",
    ) -> None:
        """``command`` runs with exactly ``env`` (``env -i``); ``record`` captures every byte
        the command writes to the terminal from its very first one (see also ``record()``)."""
        self.command = list(command)
        self.env = dict(env)
        self.width = width
        self.height = height
        self.cwd = cwd
        self.tmux = tmux
        self.socket_name = f"trainer-test-{os.getpid()}-{uuid.uuid4().hex[:10]}"
        self.session = "trainer"
        self.pane = ""
        self.recording: Path | None = record
        self.started_at = 0.0
        self._socket_path: Path | None = None
        self.server_pid = 0
        self._workdir: Path | None = None
        self._killed = False
        #: The file the pane's output is piped to (the recording, if any).
        self._watched: Path | None = None

    def __repr__(self) -> str:
        return f"TmuxTerminal({shlex.join(self.command)!r}, socket={self.socket_name!r})"

    # -- plumbing

    def _client_env(self) -> dict[str, str]:
        env = {
            "PATH": os.environ.get("PATH", _SYSTEM_PATH),
            "HOME": os.environ.get("HOME", "/"),
            "LANG": "C.UTF-8",
        }
        if "TMUX_TMPDIR" in os.environ:
            env["TMUX_TMPDIR"] = os.environ["TMUX_TMPDIR"]
        return env  # no TMUX: works from inside the user's tmux too

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [self.tmux, "-L", self.socket_name, *args],
            env=self._client_env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=_CMD_TIMEOUT,
            check=False,
        )
        if check and result.returncode != 0:
            raise RuntimeError(
                f"tmux {shlex.join(args)} failed ({result.returncode}): {result.stderr.strip()}"
            )
        return result

    def _display(self, fmt: str) -> str:
        return self._run("display-message", "-p", "-t", self.pane, fmt).stdout.strip()

    # -- life cycle

    def start(self) -> Self:
        """Start the tmux server, the session and the command (at ``width`` x ``height``)."""
        if self.pane:
            raise RuntimeError(f"{self!r} already started")
        self._workdir = Path(tempfile.mkdtemp(prefix="trainer-tmux-"))
        config = self._workdir / "tmux.conf"
        config.write_text(
            "set -g default-terminal " + DEFAULT_TERM + "\n"
            "set -g remain-on-exit on\n"
            "set -g status off\n"
            "set -g history-limit 0\n",
            encoding="utf-8",
        )
        assignments = [f"{name}={value}" for name, value in self.env.items()]
        shell_command = "exec " + shlex.join(["env", "-i", *assignments, *self.command])
        args = ["-f", str(config), "new-session", "-d", "-s", self.session]
        args += ["-x", str(self.width), "-y", str(self.height), "-P", "-F", "#{pane_id}"]
        if self.cwd is not None:
            args += ["-c", str(self.cwd)]
        args.append(shell_command)
        # Same command queue as new-session: the pipe is in place before the pane's first
        # output is read, so the first frame is recorded whole. Without a recording the bytes
        # still go to a file: its size tells the polls when the screen may have changed.
        self._watched = self.recording or self._workdir / "output"
        args += [";", "pipe-pane", "-O", "-t", self.session, self._pipe(self._watched)]
        self.started_at = time.monotonic()
        result = self._run(*args)
        self.pane = result.stdout.strip().splitlines()[0]
        self._socket_path = Path(self._display("#{socket_path}"))
        self.server_pid = int(self._display("#{pid}"))
        return self

    def kill(self) -> None:
        """Stop the tmux server (and with it the command, by SIGHUP) and remove its socket."""
        if self._killed:
            return
        self._killed = True
        if self.pane:
            self._run("kill-server", check=False)
        if self._socket_path is not None:
            self._socket_path.unlink(missing_ok=True)
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)

    def __enter__(self) -> Self:
        if not self.pane:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.kill()

    def server_running(self) -> bool:
        """True while this terminal's tmux server answers on its socket."""
        return self._run("has-session", "-t", self.session, check=False).returncode == 0

    # -- input

    def send_keys(self, *keys: str) -> None:
        """Send keys: tmux key names (``Space``, ``Escape``, ``Enter``, ``C-c``, ``Up``) are
        pressed as keys, anything else is typed as its characters."""
        self._run("send-keys", "-t", self.pane, *keys)

    def type_text(self, text: str) -> None:
        """Type ``text`` literally, even if it spells a key name such as ``Enter``."""
        self._run("send-keys", "-t", self.pane, "-l", text)

    # -- output

    def screen(self, *, escapes: bool = False) -> str:
        """The visible screen as text (``escapes=True`` keeps colours and attributes)."""
        args = ["capture-pane", "-p", "-t", self.pane]
        if escapes:
            args.append("-e")
        return self._run(*args).stdout

    def wait_for(self, pattern: Pattern, timeout: float = 10.0, interval: float = 0.05) -> str:
        """Poll the screen until ``pattern`` shows; return that screen.

        Fails (AssertionError, with the last screen in the message) after ``timeout`` seconds,
        or at once when the command has exited without showing it.
        """
        deadline = time.monotonic() + timeout
        changes = self._changes()
        screen = ""
        while True:
            if not next(changes):
                if time.monotonic() >= deadline:
                    break
                time.sleep(interval)
                continue
            screen, dead = self._screen_and_dead()
            if _matches(pattern, screen):
                return screen
            if dead:
                screen = self.screen()
                if _matches(pattern, screen):
                    return screen
                raise AssertionError(
                    f"{_describe(pattern)} never showed: the command exited "
                    f"({self._exit_description()}). Last screen:\n{_framed(screen)}"
                )
            if time.monotonic() >= deadline:
                break
            time.sleep(interval)
        raise AssertionError(
            f"{_describe(pattern)} not on screen after {timeout:g} s. "
            f"Last screen:\n{_framed(self.screen())}"
        )

    def _changes(self) -> Iterator[bool]:
        """At each poll: may the screen have changed since the last look? Yes when the command
        wrote to its terminal since (the piped output grew), and at least every
        :data:`RECHECK` seconds whatever it wrote (an exit writes nothing). A poll that skips
        the look starts no tmux client: the waits of the e2e tests were 20 of them a second."""
        last_size: int | None = -1
        last_look = 0.0
        while True:
            size = self._output_size()
            now = time.monotonic()
            if size is None or size != last_size or now - last_look >= RECHECK:
                last_size, last_look = size, now
                yield True
            else:
                yield False

    def _output_size(self) -> int | None:
        """Bytes the command has written to the terminal so far (None: not watched)."""
        watched = self.recording or self._watched
        if watched is None:
            return None
        try:
            return watched.stat().st_size
        except FileNotFoundError:
            return 0

    def _screen_and_dead(self) -> tuple[str, bool]:
        """The screen, and whether the command has exited, read by ONE tmux client: a poll
        costs one process start, not two (the polls of the e2e tests were a good part of the
        suite's CPU)."""
        fmt = "#{pane_dead}|#{pane_dead_status}|#{pane_dead_signal}"
        out = self._run(
            "capture-pane",
            "-p",
            "-t",
            self.pane,
            ";",
            "display-message",
            "-p",
            "-t",
            self.pane,
            fmt,
        ).stdout
        screen, _, state = out.rstrip("\n").rpartition("\n")
        dead, status, sig = state.split("|")
        if dead != "1":
            return screen + "\n", False
        if status or sig:
            return screen + "\n", True
        return screen + "\n", self.pane_dead()  # the status not known yet: reap (see below)

    def wait_until_gone(
        self, pattern: Pattern, timeout: float = 10.0, interval: float = 0.05
    ) -> str:
        """Poll until ``pattern`` is no longer on screen; return that screen."""
        deadline = time.monotonic() + timeout
        changes = self._changes()
        while True:
            if not next(changes):
                if time.monotonic() >= deadline:
                    break
                time.sleep(interval)
                continue
            screen = self.screen()
            if not _matches(pattern, screen):
                return screen
            if time.monotonic() >= deadline:
                break
            time.sleep(interval)
        raise AssertionError(
            f"{_describe(pattern)} still on screen after {timeout:g} s. "
            f"Last screen:\n{_framed(self.screen())}"
        )

    def wait_dead(self, timeout: float = 10.0, interval: float = 0.05) -> int | None:
        """Wait until the command has exited; return its exit status (None if a signal)."""
        deadline = time.monotonic() + timeout
        while True:
            dead, status, _sig = self._exit_state()
            if dead:
                return status
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"the command still runs after {timeout:g} s. "
                    f"Last screen:\n{_framed(self.screen())}"
                )
            time.sleep(interval)

    # -- state (tmux formats)

    def _exit_state(self) -> tuple[bool, int | None, int | None]:
        """(exited, exit status, signal), once tmux has the process's exit status.

        tmux marks a pane dead when its pty closes, which a Textual app does just before it
        exits, and reaps the process on SIGCHLD. Debian's tmux is built with libutempter, whose
        own SIGCHLD handler can swallow that signal (tmux issue #311), leaving the command a
        zombie and its status unknown for good; a SIGCHLD sent to our own tmux server makes it
        reap. Until the status is known the command does not count as exited.
        """
        fmt = "#{pane_dead}|#{pane_dead_status}|#{pane_dead_signal}"
        for attempt in range(3):
            dead, status, sig = self._display(fmt).split("|")
            if dead != "1":
                return False, None, None
            if status or sig:
                return True, int(status) if status else None, int(sig) if sig else None
            if attempt < 2 and self.server_pid > 0:
                os.kill(self.server_pid, signal.SIGCHLD)
                time.sleep(0.01)
        return False, None, None

    def pane_dead(self) -> bool:
        """True once the command has exited (and tmux knows its exit status)."""
        return self._exit_state()[0]

    def pane_dead_status(self) -> int | None:
        """Exit status of the finished command; None while it runs or if a signal ended it."""
        return self._exit_state()[1]

    def pane_dead_signal(self) -> int | None:
        """Number of the signal that ended the command, if one did."""
        return self._exit_state()[2]

    def alternate_on(self) -> bool:
        """True while the command has the terminal in the alternate screen."""
        return self._display("#{alternate_on}") == "1"

    def pane_pid(self) -> int:
        """Pid of the command (``env -i`` execs it, so this is the program itself)."""
        return int(self._display("#{pane_pid}"))

    def pane_tty(self) -> str:
        """The pane's terminal device (``/dev/pts/N``): read its modes with ``stty -F``."""
        return self._display("#{pane_tty}")

    def pane_size(self) -> tuple[int, int]:
        width, height = self._display("#{pane_width} #{pane_height}").split()
        return int(width), int(height)

    def _exit_description(self) -> str:
        sig = self.pane_dead_signal()
        if sig is not None:
            try:
                return f"signal {signal.Signals(sig).name}"
            except ValueError:
                return f"signal {sig}"
        return f"status {self.pane_dead_status()}"

    # -- recording

    @staticmethod
    def _pipe(path: Path) -> str:
        return f"cat >> {shlex.quote(str(path))}"

    def record(self, path: Path) -> None:
        """Append, from now on, every byte the command writes to its terminal to ``path``."""
        path.touch()
        self._run("pipe-pane", "-O", "-t", self.pane, self._pipe(path))
        self.recording = path

    def recorded_bytes(self) -> int:
        """Bytes recorded so far (0 before the pipe has written anything)."""
        if self.recording is None:
            raise RuntimeError("not recording: pass record= or call record(path)")
        try:
            return self.recording.stat().st_size
        except FileNotFoundError:
            return 0


# --------------------------------------------------------------------------- processes


def process_alive(pid: int) -> bool:
    """True if ``pid`` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    state = stat[stat.rindex(")") + 2 :].split()[0]
    return state not in ("Z", "X")


def wait_process_gone(pid: int, timeout: float = 10.0, interval: float = 0.05) -> None:
    """Wait until process ``pid`` has ended (or is a zombie); fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while process_alive(pid):
        if time.monotonic() >= deadline:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
            raise AssertionError(f"process {pid} still runs after {timeout:g} s: {cmdline!r}")
        time.sleep(interval)


def wait_for_file(path: Path, timeout: float = 10.0, interval: float = 0.05) -> str:
    """Wait until ``path`` exists and is not empty; return its text."""
    deadline = time.monotonic() + timeout
    while True:
        if path.exists() and (text := path.read_text(encoding="utf-8")):
            return text
        if time.monotonic() >= deadline:
            raise AssertionError(f"{path} not written after {timeout:g} s")
        time.sleep(interval)


def wait_for_bytes(
    path: Path, needle: bytes, timeout: float = 10.0, interval: float = 0.05
) -> bytes:
    """Wait until the file ``path`` (a recording, say) contains ``needle``; return its bytes.

    A recording lags the screen a little: tmux hands the bytes to ``cat``, which appends them.
    """
    deadline = time.monotonic() + timeout
    while True:
        data = path.read_bytes() if path.exists() else b""
        if needle in data:
            return data
        if time.monotonic() >= deadline:
            raise AssertionError(f"{needle!r} not in {path} after {timeout:g} s: {data[-400:]!r}")
        time.sleep(interval)


# --------------------------------------------------------------------------- ssh


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM when the parent (the test run) dies, even by
    SIGKILL, so an interrupted run leaves no sshd listening."""
    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LoopbackSshd:
    """An OpenSSH server on 127.0.0.1 (free port), configured and keyed in ``workdir``.

    Login is by a throwaway key as the current user (root works: PermitRootLogin is
    prohibit-password). No AcceptEnv: like a default server, only TERM crosses the connection.
    """

    def __init__(self, workdir: Path, *, sshd: str = SSHD) -> None:
        self.workdir = workdir
        self.sshd = sshd
        self.user = getpass.getuser()
        self.port = 0
        self.config = workdir / "sshd_config"
        self.host_key = workdir / "ssh_host_ed25519_key"
        self.user_key = workdir / "id_ed25519"
        self.authorized_keys = workdir / "authorized_keys"
        self.pid_file = workdir / "sshd.pid"
        self.log = workdir / "sshd.log"
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        """Pid of the listening sshd (each connection is served by its children)."""
        if self._proc is None:
            raise RuntimeError("sshd not started")
        return self._proc.pid

    def _keygen(self, path: Path, comment: str) -> None:
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(path)],
            check=True,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=_CMD_TIMEOUT,
        )

    def start(self, timeout: float = 10.0) -> Self:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.workdir.chmod(0o700)
        self._keygen(self.host_key, "trainer-test-host")
        self._keygen(self.user_key, "trainer-test-user")
        shutil.copyfile(self.user_key.with_suffix(".pub"), self.authorized_keys)
        self.authorized_keys.chmod(0o600)
        Path("/run/sshd").mkdir(mode=0o755, parents=True, exist_ok=True)  # privilege separation
        # Tests run in parallel (pytest-xdist): another worker's sshd may take the free port
        # between the look-up and the bind. Then this one exits at once: try another port.
        for attempt in range(3):
            try:
                return self._start_on(free_port(), timeout)
            except RuntimeError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _start_on(self, port: int, timeout: float) -> Self:
        self.port = port
        self.pid_file.unlink(missing_ok=True)
        self.config.write_text(
            f"Port {self.port}\n"
            "ListenAddress 127.0.0.1\n"
            f"HostKey {self.host_key}\n"
            f"AuthorizedKeysFile {self.authorized_keys}\n"
            f"PidFile {self.pid_file}\n"
            f"AllowUsers {self.user}\n"
            "UsePAM no\n"
            "StrictModes no\n"
            "PermitRootLogin prohibit-password\n"
            "PubkeyAuthentication yes\n"
            "PasswordAuthentication no\n"
            "KbdInteractiveAuthentication no\n"
            "PermitUserEnvironment no\n"
            "X11Forwarding no\n"
            "AllowTcpForwarding no\n"
            "AllowAgentForwarding no\n"
            "PrintMotd no\n"
            "PrintLastLog no\n"
            "UseDNS no\n"
            "LogLevel INFO\n",
            encoding="utf-8",
        )
        checked = subprocess.run(
            [self.sshd, "-t", "-f", str(self.config)],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=_CMD_TIMEOUT,
            check=False,
        )
        if checked.returncode != 0:
            raise RuntimeError(f"sshd rejects {self.config}: {checked.stderr.strip()}")
        with self.log.open("wb") as log:
            self._proc = subprocess.Popen(
                [self.sshd, "-f", str(self.config), "-D", "-e"],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        self._wait_listening(timeout)
        return self

    def _wait_listening(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self._proc is not None and self._proc.poll() is not None:
                raise RuntimeError(
                    f"sshd exited ({self._proc.returncode}): {self.log.read_text(errors='replace')}"
                )
            # Listening, and it is this sshd (it writes its pid file once its socket listens),
            # not another worker's on the same port.
            try:
                ours = self.pid_file.read_text(encoding="utf-8").strip() == str(self.pid)
                with socket.create_connection(("127.0.0.1", self.port), timeout=1.0) as conn:
                    if ours and conn.recv(4).startswith(b"SSH-"):
                        return
            except (OSError, ValueError):
                pass
            if time.monotonic() >= deadline:
                self.stop()
                raise RuntimeError(f"sshd not listening on 127.0.0.1:{self.port} after {timeout} s")
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop the listening sshd by its pid (running sessions end with their clients)."""
        if self._proc is None or self._proc.poll() is not None:
            return
        self._proc.terminate()
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait(timeout=5)

    def __enter__(self) -> Self:
        if self._proc is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def ssh_command(self, remote_command: Sequence[str], env: Mapping[str, str]) -> list[str]:
        """The ``ssh -tt`` command line that runs ``remote_command`` here, over loopback.

        The remote shell does not inherit the caller's environment, so ``env`` (XDG folders,
        PATH with the venv's bin, HOME, LANG, NO_COLOR...) is passed in the remote command
        through ``env``. TERM is left to ssh, which forwards it from the local terminal as any
        ssh does; COLORTERM is never passed (a default ssh does not forward it).
        """
        passed = {k: v for k, v in env.items() if k not in ("TERM", "COLORTERM")}
        remote = shlex.join(["env", *(f"{k}={v}" for k, v in passed.items()), *remote_command])
        return [
            "ssh",
            "-tt",
            "-F",
            "/dev/null",
            "-i",
            str(self.user_key),
            "-p",
            str(self.port),
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "BatchMode=yes",
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "ConnectTimeout=10",
            f"{self.user}@127.0.0.1",
            remote,
        ]
