"""A TCP forwarder on 127.0.0.1 between a client and a server, to cut the network the way a tablet loses Wi-Fi."""

from __future__ import annotations

import socket
import threading

from tests.support.broker import free_port


class CuttableProxy:
    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = free_port()
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.listener.settimeout(0.2)
        self.up = True
        self.drop_answers = False  # forward requests, throw the answers away (the answer is lost, not the ballot)
        self.cut_after = -1  # bytes of answers to pass before cutting (-1: no limit)
        self.passed = 0
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cut(self) -> None:
        """Close every connection and refuse new ones until `restore`."""
        self.up = False
        with self._lock:
            for s in list(self._open):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()
            self._open.clear()

    def restore(self) -> None:
        self.drop_answers = False
        self.cut_after = -1
        self.up = True

    def close(self) -> None:
        self._stop.set()
        self.cut()
        self._thread.join(timeout=5)
        self.listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            try:
                server = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open.update((client, server))
            threading.Thread(target=self._pipe, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, True), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, answers: bool) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data or not self.up:
                    break
                if answers and self.drop_answers:
                    break  # the request reached the server; its answer never reaches the client
                if answers and self.cut_after >= 0:
                    room = self.cut_after - self.passed
                    if room <= 0:
                        break
                    data = data[:room]
                self.passed += len(data) if answers else 0
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()
            with self._lock:
                self._open.discard(source)
                self._open.discard(sink)
