"""HTTP sources: a well-kept client (httpx) with timeouts, retries with backoff (tenacity),
a size limit, conditional requests, a polite delay and a clear User-Agent."""
from __future__ import annotations

import re
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


def _client(source) -> httpx.Client:
    timeout = float(source.settings.get("timeout_seconds", 20))
    return httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=5,
                        headers={"User-Agent": USER_AGENT})


def _get(client: httpx.Client, url: str, attempts: int, headers: dict | None = None) -> httpx.Response:
    @retry(retry=retry_if_exception(lambda e: isinstance(e, (_Retryable, httpx.TimeoutException, httpx.TransportError))
                                    and not isinstance(e, httpx.TooManyRedirects)),
           stop=stop_after_attempt(attempts), wait=wait_exponential(multiplier=0.2, max=5), reraise=True)
    def once() -> httpx.Response:
        resp = client.get(url, headers=headers or {})
        if resp.status_code >= 500:
            raise _Retryable(f"HTTP {resp.status_code}")
        return resp

    return once()


def _download(client: httpx.Client, url: str, attempts: int, headers: dict, max_bytes: int
              ) -> tuple[httpx.Response, bytes | None]:
    """GET streamed, stopping as soon as the body passes max_bytes (None then), with retries."""
    @retry(retry=retry_if_exception(lambda e: isinstance(e, (_Retryable, httpx.TimeoutException, httpx.TransportError))
                                    and not isinstance(e, httpx.TooManyRedirects)),
           stop=stop_after_attempt(attempts), wait=wait_exponential(multiplier=0.2, max=5), reraise=True)
    def once() -> tuple[httpx.Response, bytes | None]:
        with client.stream("GET", url, headers=headers) as resp:
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
            return resp, bytes(body)

    return once()


def discover_http(source) -> list:
    from vnhealth.sources import Candidate

    if source.type == "http_list":
        return [Candidate(source.name, u) for u in source.settings["urls"]]
    pattern = re.compile(source.settings.get("link_pattern", r"\.(?:pdf|docx|html?|txt)$"), re.IGNORECASE)
    with _client(source) as client:
        resp = _get(client, source.settings["url"], int(source.settings.get("retries", 3)))
        resp.raise_for_status()
    links = re.findall(r"""href\s*=\s*["']([^"'#]+)["']""", resp.text, flags=re.IGNORECASE)
    out, seen = [], set()
    for link in links:
        if not pattern.search(link):
            continue
        # A link with `..` segments is kept as written so that fetch() records it as unsafe
        # instead of urljoin quietly resolving it to somewhere else on the server.
        url = source.settings["url"].rsplit("/", 1)[0] + "/" + link if _has_dot_segments(link) \
            else urljoin(source.settings["url"], link)
        if url not in seen:
            seen.add(url)
            out.append(Candidate(source.name, url))
    return out


def _has_dot_segments(link: str) -> bool:
    from urllib.parse import unquote

    return ".." in unquote(urlsplit(link).path).replace("\\", "/").split("/")


def fetch(source, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
    if _has_dot_segments(url):
        return Fetched(None, failure=f"unsafe_path: {url} tries to leave its folder")
    max_bytes = int(source.settings.get("max_bytes", 50 * 1024 * 1024))
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    time.sleep(float(source.settings.get("delay_seconds", 0.5)))
    try:
        with _client(source) as client:
            resp, body = _download(client, url, int(source.settings.get("retries", 3)), headers, max_bytes)
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
