"""A real RTSP server on loopback for tests and the video-wall bench.

FFmpeg 5.1 cannot serve RTSP itself (its rtsp muxer only pushes; `-rtsp_flags listen` is for receiving), so
ffmpeg plays the clip in real time (`-re -stream_loop -1 -c copy`) as RTP to a loopback UDP port and this
server answers OPTIONS/DESCRIBE/SETUP/PLAY and relays the RTP packets to each playing client interleaved on
its RTSP connection (RTP/AVP/TCP, what the app asks for). Killing it (`stop`) kills ffmpeg and every socket.
"""

from __future__ import annotations

import shutil
import socket
import struct
import subprocess
import tempfile
import threading
from pathlib import Path

from tests.support.waiting import wait_until


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_clip(path: Path, size: str = "640x360", fps: int = 25, seconds: int = 4, gop: int | None = None,
              clock: bool = True) -> Path:
    """An H.264 clip of testsrc (moving pattern, its own frame counter) with a burnt-in frame number."""
    video = f"testsrc=size={size}:rate={fps}:duration={seconds}"
    if clock:  # drawtext needs a font; testsrc's own counter is the fallback
        font = next((f for f in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",) if Path(f).exists()), None)
        if font:
            video += f",drawtext=fontfile={font}:text='%{{pts\\:hms}} %{{n}}':x=10:y=h-40:fontsize=28:" \
                     "fontcolor=white:box=1:boxcolor=black"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", video, "-c:v", "libx264", "-preset",
                    "veryfast", "-tune", "zerolatency", "-g", str(gop or fps), "-pix_fmt", "yuv420p", str(path)],
                   check=True, timeout=120)
    return path


class RtspServer:
    """Serves `clip` at rtsp://127.0.0.1:PORT/NAME for as many clients as connect."""

    def __init__(self, clip: Path, port: int | None = None, name: str = "cam") -> None:
        self.clip = Path(clip)
        self.port = port or free_port()
        self.name = name
        self.url = f"rtsp://127.0.0.1:{self.port}/{name}"
        self.frames_sent = 0  # complete frames (RTP marker bit) relayed to all clients, summed over clients
        self.frames_produced = 0
        self._clients: list[socket.socket] = []
        self._lock = threading.Lock()
        self._send = threading.Lock()  # replies and relayed packets never interleave on one connection
        self._running = False
        self._proc: subprocess.Popen | None = None
        self._listener: socket.socket | None = None
        self._udp: list[socket.socket] = []
        self._tmp: str | None = None
        self.sdp = ""

    def start(self) -> RtspServer:
        ffmpeg = shutil.which("ffmpeg")
        if ffmpeg is None:
            raise RuntimeError("ffmpeg is not installed")
        self._tmp = tempfile.mkdtemp(prefix="rtsp-")
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.bind(("127.0.0.1", 0))
        udp.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 21)
        rtp_port = udp.getsockname()[1]
        rtcp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            rtcp.bind(("127.0.0.1", rtp_port + 1))
        except OSError:
            pass
        self._udp = [udp, rtcp]
        sdp_file = Path(self._tmp) / "s.sdp"
        self._proc = subprocess.Popen([ffmpeg, "-v", "error", "-re", "-stream_loop", "-1", "-i", str(self.clip),
                                       "-an", "-c", "copy", "-f", "rtp", "-sdp_file", str(sdp_file),
                                       f"rtp://127.0.0.1:{rtp_port}?rtcpport={rtp_port + 1}&pkt_size=1400"],
                                      stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        def sdp_written() -> bool:
            return sdp_file.exists() and "a=rtpmap" in sdp_file.read_text(errors="replace")

        try:
            wait_until(lambda: sdp_written() or self._proc.poll() is not None, 10, "ffmpeg to start streaming")
            if not sdp_written():
                raise RuntimeError(f"ffmpeg exited ({self._proc.returncode}) before streaming")
        except BaseException:
            self.stop()
            raise
        lines = [line for line in sdp_file.read_text().splitlines() if not line.startswith("c=")]
        out = []
        for line in lines:
            if line.startswith("m=video"):
                out += ["c=IN IP4 0.0.0.0", "m=video 0 RTP/AVP " + line.split()[-1], "a=control:track0"]
            else:
                out.append(line)
        self.sdp = "\r\n".join(out) + "\r\n"
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        def bound() -> bool:
            try:
                self._listener.bind(("127.0.0.1", self.port))
            except OSError:  # e.g. the port of a server just stopped, for a moment
                return False
            return True

        try:
            wait_until(bound, 5, f"127.0.0.1:{self.port} to be free", interval_s=0.1)
        except AssertionError:
            self.stop()
            raise
        self._listener.listen(64)
        self._running = True
        threading.Thread(target=self._accept, name="rtsp-accept", daemon=True).start()
        threading.Thread(target=self._relay, name="rtsp-relay", daemon=True).start()
        return self

    def stop(self) -> None:
        self._running = False
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait(5)
        for sock in [self._listener, *self._udp]:
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()/recv()
                except OSError:
                    pass
                sock.close()
        with self._lock:
            clients, self._clients = self._clients, []
        for client in clients:
            try:
                client.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            client.close()
        if self._proc is not None and self._proc.stderr is not None:
            self._proc.stderr.close()
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def __enter__(self) -> RtspServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _relay(self) -> None:
        udp = self._udp[0]
        udp.settimeout(0.5)
        while self._running:
            try:
                packet = udp.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            marker = len(packet) > 1 and packet[1] & 0x80
            if marker:
                self.frames_produced += 1
            header = b"$\x00" + struct.pack(">H", len(packet))
            with self._lock:
                clients = list(self._clients)
            for client in clients:
                try:
                    with self._send:
                        client.sendall(header + packet)
                    if marker:
                        self.frames_sent += 1
                except OSError:
                    with self._lock:
                        if client in self._clients:
                            self._clients.remove(client)

    def _accept(self) -> None:
        while self._running:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), name="rtsp-client", daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        buffer = b""
        session = f"{id(conn) % 10**8:08d}"
        try:
            while self._running:
                data = conn.recv(4096)
                if not data:
                    break
                buffer += data
                while True:
                    if buffer.startswith(b"$"):  # interleaved RTCP from the client
                        if len(buffer) < 4:
                            break
                        size = struct.unpack(">H", buffer[2:4])[0]
                        if len(buffer) < 4 + size:
                            break
                        buffer = buffer[4 + size:]
                        continue
                    end = buffer.find(b"\r\n\r\n")
                    if end < 0:
                        break
                    head, buffer = buffer[:end].decode("latin-1"), buffer[end + 4:]
                    self._answer(conn, head, session)
        except OSError:
            pass
        finally:
            with self._lock:
                if conn in self._clients:
                    self._clients.remove(conn)
            conn.close()

    def _answer(self, conn: socket.socket, head: str, session: str) -> None:
        lines = head.split("\r\n")
        method, url = lines[0].split(" ")[:2]
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        reply = [f"CSeq: {headers.get('cseq', '0')}"]
        body = ""
        if method == "OPTIONS":
            reply.append("Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER")
        elif method == "DESCRIBE":
            if not url.rstrip("/").endswith("/" + self.name):
                conn.sendall(f"RTSP/1.0 404 Not Found\r\n{reply[0]}\r\n\r\n".encode())
                return
            body = self.sdp
            reply += [f"Content-Base: {url.rstrip('/')}/", "Content-Type: application/sdp",
                      f"Content-Length: {len(body)}"]
        elif method == "SETUP":
            if "TCP" not in headers.get("transport", ""):
                conn.sendall(f"RTSP/1.0 461 Unsupported Transport\r\n{reply[0]}\r\n\r\n".encode())
                return
            reply += ["Transport: RTP/AVP/TCP;unicast;interleaved=0-1", f"Session: {session};timeout=60"]
        elif method == "PLAY":
            reply += [f"Session: {session}", "Range: npt=0.000-"]
        elif method in ("GET_PARAMETER", "SET_PARAMETER") or method == "TEARDOWN":
            reply.append(f"Session: {session}")
        else:
            conn.sendall(f"RTSP/1.0 501 Not Implemented\r\n{reply[0]}\r\n\r\n".encode())
            return
        with self._send:
            conn.sendall(("RTSP/1.0 200 OK\r\n" + "\r\n".join(reply) + "\r\n\r\n" + body).encode())
        if method == "PLAY":
            with self._lock:
                self._clients.append(conn)
        elif method == "TEARDOWN":
            with self._lock:
                if conn in self._clients:
                    self._clients.remove(conn)


def serve_main(argv: list[str]) -> None:
    """`python -m tests.support.rtsp_server CLIP N`: N servers in their own process (benches measure the app
    alone); prints one URL a line, then answers each input line with the frames sent so far per server."""
    import sys

    servers = [RtspServer(Path(argv[0]), name=f"cam{i}").start() for i in range(int(argv[1]))]
    print(" ".join(s.url for s in servers), flush=True)
    try:
        for _line in sys.stdin:
            print(" ".join(str(s.frames_sent) for s in servers), flush=True)
    finally:
        for server in servers:
            server.stop()


if __name__ == "__main__":
    import sys

    serve_main(sys.argv[1:])
