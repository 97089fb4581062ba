"""HTTP sources: a well-kept client (httpx) with timeouts, retries with backoff (tenacity),
a size limit, a total deadline per download, conditional requests, a polite delay and a clear
User-Agent; links and redirects followed only to the source's own origins and never to a loopback,
private or link-local address unless the source allows it."""

from __future__ import annotations

import ipaddress
import re
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx
from tenacity import retry, retry_if_exception, stop_after_attempt, wait_exponential

from vnhealth import __version__

USER_AGENT = f"vnhealth/{__version__} (+public-health report warehouse; contact: data team)"


@dataclass
class Fetched:
    data: bytes | None
    failure: str | None = None
    etag: str | None = None
    last_modified: str | None = None


class _Retryable(Exception):
    pass


MAX_REDIRECTS = 5


class Refused(Exception):
    """A URL the source's policy does not allow: `off_origin_link` or `private_address`."""


def _client(source) -> httpx.Client:
    timeout = float(source.settings.get("timeout_seconds", 20))
    # Redirects are followed by hand, each hop checked against the source's policy.
    return httpx.Client(timeout=timeout, follow_redirects=False, headers={"User-Agent": USER_AGENT})


def _origin(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


def allowed_origins(source) -> set[tuple[str, str, int]]:
    """The source's own origins (its index page, or each URL of its list) and those it lists."""
    own = [source.settings["url"]] if source.type == "http_index" else list(source.settings.get("urls", []))
    return {_origin(u) for u in [*own, *source.settings.get("allowed_origins", [])]}


def check_url(source, url: str) -> None:
    """Raise Refused unless the URL is http(s), on an allowed origin, and (unless the source allows
    private addresses) resolves to public addresses only."""
    scheme, host, port = _origin(url)
    if scheme not in ("http", "https") or not host:
        raise Refused(f"off_origin_link: {url} is not an http(s) URL")
    if (scheme, host, port) not in allowed_origins(source):
        raise Refused(f"off_origin_link: {url} is outside the source's origins")
    if source.settings.get("allow_private_addresses"):
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)}
    except socket.gaierror as exc:
        raise Refused(f"private_address: {host} does not resolve ({exc})") from exc
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global or ip.is_multicast:
            raise Refused(f"private_address: {host} resolves to {ip}, a loopback, private or link-local address")


def _get(client: httpx.Client, url: str, attempts: int, headers: dict | None = None, source=None) -> httpx.Response:
    @retry(
        retry=retry_if_exception(
            lambda e: (
                isinstance(e, (_Retryable, httpx.TimeoutException, httpx.TransportError))
                and not isinstance(e, httpx.TooManyRedirects)
            )
        ),
        stop=stop_after_attempt(attempts),
        wait=wait_exponential(multiplier=0.2, max=5),
        reraise=True,
    )
    def once() -> httpx.Response:
        target = url
        for _ in range(MAX_REDIRECTS + 1):
            if source is not None:
                check_url(source, target)
            resp = client.get(target, headers=headers or {})
            if resp.is_redirect and resp.headers.get("location"):
                target = urljoin(target, resp.headers["location"])
                continue
            if resp.status_code >= 500:
                raise _Retryable(f"HTTP {resp.status_code}")
            return resp
        raise httpx.TooManyRedirects(f"more than {MAX_REDIRECTS} redirects", request=resp.request)

    return once()


class DeadlineExceeded(Exception):
    pass


def _download(
    client: httpx.Client, url: str, attempts: int, headers: dict, max_bytes: int, source, deadline_seconds: float
) -> tuple[httpx.Response, bytes | None]:
    """GET streamed, redirects checked hop by hop, stopping as soon as the body passes max_bytes
    (None then) or the whole download its deadline (a server that sends a byte every few seconds
    never trips a per-read timeout), with retries."""
    started = time.monotonic()

    @retry(
        retry=retry_if_exception(
            lambda e: (
                isinstance(e, (_Retryable, httpx.TimeoutException, httpx.TransportError))
                and not isinstance(e, httpx.TooManyRedirects)
            )
        ),
        stop=stop_after_attempt(attempts),
        wait=wait_exponential(multiplier=0.2, max=5),
        reraise=True,
    )
    def once() -> tuple[httpx.Response, bytes | None]:
        target = url
        for _ in range(MAX_REDIRECTS + 1):
            check_url(source, target)
            with client.stream("GET", target, headers=headers) as resp:
                if resp.is_redirect and resp.headers.get("location"):
                    target = urljoin(target, resp.headers["location"])
                    continue
                if resp.status_code >= 500:
                    raise _Retryable(f"HTTP {resp.status_code}")
                if resp.status_code != 200:
                    return resp, b""
                if int(resp.headers.get("content-length") or 0) > max_bytes:
                    return resp, None
                body = bytearray()
                for chunk in resp.iter_bytes():
                    body += chunk
                    if len(body) > max_bytes:
                        return resp, None
                    if time.monotonic() - started > deadline_seconds:
                        raise DeadlineExceeded()
                return resp, bytes(body)
        raise httpx.TooManyRedirects(f"more than {MAX_REDIRECTS} redirects", request=resp.request)

    return once()


def offered_urls(source, default_link_pattern: str) -> list[str]:
    """The report URLs an HTTP source offers: its list, or the links of its index page that match
    its `link_pattern` (default: every format the reader reads), each once, in page order."""
    if source.type == "http_list":
        return list(source.settings["urls"])
    pattern = re.compile(source.settings.get("link_pattern", default_link_pattern), re.IGNORECASE)
    with _client(source) as client:
        resp = _get(client, source.settings["url"], int(source.settings.get("retries", 3)), source=source)
        resp.raise_for_status()
    links = re.findall(r"""href\s*=\s*["']([^"'#]+)["']""", resp.text, flags=re.IGNORECASE)
    out, seen = [], set()
    for link in links:
        if not pattern.search(link):
            continue
        # A link with `..` segments is kept as written so that fetch() records it as unsafe
        # instead of urljoin quietly resolving it to somewhere else on the server.
        url = (
            source.settings["url"].rsplit("/", 1)[0] + "/" + link
            if _has_dot_segments(link)
            else urljoin(source.settings["url"], link)
        )
        if url not in seen:
            seen.add(url)
            out.append(url)
    return out


def _has_dot_segments(link: str) -> bool:
    from urllib.parse import unquote

    return ".." in unquote(urlsplit(link).path).replace("\\", "/").split("/")


def fetch(source, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
    if _has_dot_segments(url):
        return Fetched(None, failure=f"unsafe_path: {url} tries to leave its folder")
    max_bytes = int(source.settings.get("max_bytes", 50 * 1024 * 1024))
    deadline = float(source.settings.get("deadline_seconds", 300))
    try:
        check_url(source, url)
    except Refused as exc:
        return Fetched(None, failure=str(exc))
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    time.sleep(float(source.settings.get("delay_seconds", 0.5)))
    try:
        with _client(source) as client:
            resp, body = _download(
                client, url, int(source.settings.get("retries", 3)), headers, max_bytes, source, deadline
            )
    except Refused as exc:
        return Fetched(None, failure=str(exc))
    except DeadlineExceeded:
        return Fetched(None, failure=f"timeout: the download took longer than its deadline of {deadline:g} s")
    except httpx.TooManyRedirects:
        return Fetched(None, failure="redirect_loop: too many redirects")
    except httpx.TimeoutException:
        return Fetched(None, failure="timeout: no answer in time after retries")
    except _Retryable as exc:
        return Fetched(None, failure=f"http_error: {exc} after retries")
    except httpx.TransportError as exc:
        return Fetched(None, failure=f"network_error: {exc}")
    if resp.status_code == 304:
        return Fetched(None, failure="not_modified")
    if resp.status_code >= 400:
        return Fetched(None, failure=f"http_error: HTTP {resp.status_code}")
    if body is None:
        return Fetched(None, failure=f"too_large: the body exceeds the limit of {max_bytes} bytes")
    return Fetched(body, etag=resp.headers.get("etag"), last_modified=resp.headers.get("last-modified"))
