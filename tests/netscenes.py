"""netscenes.py - what the Python servers and clients of t-real.sh and
t-diag.sh share (real TCP between two network namespaces).

Servers: serve(addr, {port: handler}) listens on every port, hands each
connection to its handler in a thread of its own, prints "ready" once all
ports listen and serves until it is killed.

Clients: each scenario function stores its outcome in results[NAME];
run([(function, args), ...]) runs them all at once and prints
"NAME OUTCOME" per result, sorted by name.

The test scripts run with PYTHONPATH set to the tests directory.
"""
import socket
import threading
import time

results = {}


def read_line(c):
    """Bytes up to and with the first newline, or to EOF."""
    data = b""
    while not data.endswith(b"\n"):
        chunk = c.recv(100)
        if not chunk:
            break
        data += chunk
    return data


def read_all(s, chunk_size=65536):
    """Bytes up to EOF, read chunk_size at a time."""
    data = b""
    while True:
        chunk = s.recv(chunk_size)
        if not chunk:
            return data
        data += chunk


def connect(addr, port, timeout):
    return socket.create_connection((addr, port), timeout=timeout)


def _accept_loop(sock, handler):
    while True:
        c, _ = sock.accept()
        threading.Thread(target=handler, args=(c,), daemon=True).start()


def serve(addr, handlers, rcvbuf=None):
    """rcvbuf: {port: bytes}, a receive buffer the accepted sockets of
    that port inherit."""
    for port, handler in handlers.items():
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if rcvbuf and port in rcvbuf:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf[port])
        s.bind((addr, port))
        s.listen(8)
        threading.Thread(target=_accept_loop, args=(s, handler),
                         daemon=True).start()
    print("ready", flush=True)
    while True:
        time.sleep(60)


def run(scenarios):
    threads = [threading.Thread(target=f, args=a) for f, a in scenarios]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for name in sorted(results):
        print(name, results[name])
