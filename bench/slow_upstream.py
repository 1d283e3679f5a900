#!/usr/bin/env python3
"""A slow HTTP upstream for the cluster benchmark, and the URL lists that go with it.

The cluster benchmark needs pages whose fetch time is latency, not CPU, spread over many hosts,
and a witness of how many requests each host saw at once (the per-host politeness limit must
hold across nodes). Python 3.11 standard library only.

  slow_upstream.py [serve] --hosts N [--port P] [--delay-ms D]
      Listens on 127.0.0.1 ... 127.0.0.N (N <= 250), all on one port (--port 0, the default,
      lets the system choose it for 127.0.0.1 and reuses it for the others), prints
      "listening on PORT" and serves. Every GET is answered after D ms (default 50) with a
      200 text/html page of about 2 KB of words that depends only on the path, with
      Content-Length and keep-alive. On SIGTERM or SIGINT it prints one JSON line
        {"requests": N, "max_in_flight_per_host": {"127.0.0.3": 2, ...}, "max_in_flight": M}
      and exits 0.

  slow_upstream.py urls --hosts N --port P --count C
      Prints C URLs http://127.0.0.X:P/page/I, I = 0 .. C-1, round-robin over the N hosts.

Each address is bound on its own rather than 0.0.0.0: Linux routes all of 127.0.0.0/8 to a
socket on 0.0.0.0, but so does every other interface, and a benchmark must not serve the
network.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import signal
import sys

MAX_HOSTS = 250
# Header block bound: a benchmark client never sends more, and a bound keeps a stray client
# from growing the buffer.
MAX_HEADER_BYTES = 16 * 1024
PAGE_BYTES = 2048

VOCABULARY = (
    "river stone harbor lantern meadow copper orchard signal thunder velvet quarry ember "
    "glacier compass beacon timber saddle marble falcon thistle canyon ribbon anchor pepper "
    "willow cobalt sparrow furnace garden island jasmine kettle ladder mirror nectar oyster "
    "pillar quiver raven silver tunnel umbrella valley walnut yonder zephyr autumn bramble "
    "candle dagger engine fabric goblet hollow ivory jungle kernel lumber mosaic needle "
    "obsidian pebble quartz rocket summit tablet upland vessel wander xylem yarrow zenith "
    "archive bridge cellar drizzle estuary fountain granite horizon inkwell juniper kiln "
    "lagoon mantle nomad outpost prairie quill rampart shingle trellis uplift vortex whistle"
).split()


def page_for(path: str) -> bytes:
    """About PAGE_BYTES of HTML words, the same for the same path in every run."""
    rng = random.Random(path)  # str seeds are hashed with SHA-512: stable across runs
    # A few words are frequent on each page, so the top words differ from page to page.
    favourites = rng.sample(VOCABULARY, 5)
    head = f"<!doctype html><html><head><title>{path}</title></head><body><p>"
    tail = "</p></body></html>\n"
    words: list[str] = []
    size = len(head) + len(tail)
    while size < PAGE_BYTES:
        word = rng.choice(favourites) if rng.random() < 0.3 else rng.choice(VOCABULARY)
        words.append(word)
        size += len(word) + 1
    return (head + " ".join(words) + tail).encode("ascii")


def host_order(host: str) -> tuple[int, ...] | tuple[str]:
    """127.0.0.2 before 127.0.0.10; a Host header that is not an address sorts as text."""
    try:
        return tuple(int(part) for part in host.split("."))
    except ValueError:
        return (host,)


class upstream:
    """The HTTP side: one handler per connection, counters shared by all."""

    def __init__(self, delay_s: float) -> None:
        self.delay_s = delay_s
        self.requests = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.in_flight_per_host: dict[str, int] = {}
        self.max_in_flight_per_host: dict[str, int] = {}
        self.writers: set[asyncio.StreamWriter] = set()

    def report(self) -> str:
        return json.dumps(
            {
                "requests": self.requests,
                "max_in_flight_per_host": dict(
                    sorted(self.max_in_flight_per_host.items(), key=lambda item: host_order(item[0]))
                ),
                "max_in_flight": self.max_in_flight,
            }
        )

    def begin(self, host: str) -> None:
        self.requests += 1
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        now = self.in_flight_per_host.get(host, 0) + 1
        self.in_flight_per_host[host] = now
        self.max_in_flight_per_host[host] = max(self.max_in_flight_per_host.get(host, 0), now)

    def end(self, host: str) -> None:
        self.in_flight -= 1
        self.in_flight_per_host[host] -= 1

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writers.add(writer)
        local_address = writer.get_extra_info("sockname")[0]
        try:
            while await self.serve_one(reader, writer, local_address):
                pass
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass
        except asyncio.CancelledError:
            # Shutdown cancels the requests in progress; ending quietly keeps asyncio's
            # connection callback from printing a traceback for each.
            pass
        finally:
            self.writers.discard(writer)
            writer.close()

    async def serve_one(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, local_address: str
    ) -> bool:
        """Answers one request; False when the connection is to be closed."""
        try:
            block = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as error:
            if error.partial.strip():
                raise
            return False  # the client closed between requests: the normal end of keep-alive
        lines = block.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            await writer.drain()
            return False
        method, path, version = parts
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if sep:
                headers[name.strip().lower()] = value.strip()
        # The host the client asked for, without its port; the address it reached otherwise.
        host = headers.get("host", "").rsplit(":", 1)[0] or local_address
        connection = headers.get("connection", "").lower()
        keep_alive = connection != "close" if version == "HTTP/1.1" else connection == "keep-alive"
        body_length = int(headers.get("content-length", "0") or "0")
        if body_length:
            await reader.readexactly(body_length)

        self.begin(host)
        try:
            await asyncio.sleep(self.delay_s)
            if method == "GET":
                body = page_for(path)
                status = "200 OK"
            else:
                body = b""
                status = "405 Method Not Allowed"
            head = (
                f"HTTP/1.1 {status}\r\n"
                "Content-Type: text/html; charset=utf-8\r\n"
                f"Content-Length: {len(body)}\r\n"
                f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n\r\n"
            )
            writer.write(head.encode("ascii") + body)
            await writer.drain()
        finally:
            self.end(host)
        return keep_alive


async def listen(state: upstream, hosts: int, port: int) -> list[asyncio.Server]:
    """One server per address, all on one port; [] (after saying why) if that cannot be had.

    With --port 0 the port the system gives 127.0.0.1 may be taken on another address: then
    everything is closed and a new port tried, a few times.
    """
    attempts = 5 if port == 0 else 1
    for _ in range(attempts):
        servers: list[asyncio.Server] = []
        chosen = port
        try:
            for i in range(1, hosts + 1):
                server = await asyncio.start_server(
                    state.handle, f"127.0.0.{i}", chosen, limit=MAX_HEADER_BYTES,
                    reuse_address=True, backlog=1024,
                )
                servers.append(server)
                chosen = server.sockets[0].getsockname()[1]
            return servers
        except OSError as error:
            print(f"slow_upstream: cannot listen on 127.0.0.{len(servers) + 1}:{chosen}: {error}",
                  file=sys.stderr)
            for server in servers:
                server.close()
    return []


async def serve(hosts: int, port: int, delay_ms: float) -> int:
    state = upstream(delay_ms / 1000.0)
    servers = await listen(state, hosts, port)
    if not servers:
        return 1
    port = servers[0].sockets[0].getsockname()[1]
    print(f"listening on {port}", flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()

    for server in servers:
        server.close()
    # Requests still in progress are dropped: the report counts what was received.
    for writer in list(state.writers):
        writer.transport.abort()
    print(state.report(), flush=True)
    return 0


def print_urls(hosts: int, port: int, count: int) -> None:
    out = sys.stdout
    for i in range(count):
        out.write(f"http://127.0.0.{i % hosts + 1}:{port}/page/{i}\n")
    out.flush()


def hosts_argument(text: str) -> int:
    value = int(text)
    if not 1 <= value <= MAX_HOSTS:
        raise argparse.ArgumentTypeError(f"--hosts must be 1 .. {MAX_HOSTS}")
    return value


def main(argv: list[str]) -> int:
    if argv and argv[0] == "urls":
        parser = argparse.ArgumentParser(prog="slow_upstream.py urls",
                                         description="Print URLs of the slow upstream.")
        parser.add_argument("--hosts", type=hosts_argument, required=True)
        parser.add_argument("--port", type=int, required=True)
        parser.add_argument("--count", type=int, required=True)
        args = parser.parse_args(argv[1:])
        print_urls(args.hosts, args.port, args.count)
        return 0
    if argv and argv[0] == "serve":
        argv = argv[1:]
    parser = argparse.ArgumentParser(prog="slow_upstream.py",
                                     description="Serve slow pages on 127.0.0.1 .. 127.0.0.N.")
    parser.add_argument("--hosts", type=hosts_argument, default=1)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--delay-ms", type=float, default=50.0)
    args = parser.parse_args(argv)
    return asyncio.run(serve(args.hosts, args.port, args.delay_ms))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
