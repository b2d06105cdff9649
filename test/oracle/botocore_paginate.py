"""botocore as the oracle for pagination and resume tokens.

Reads JSON requests from stdin, one per line (a line may also hold a JSON array of requests), and
writes one JSON line per input line (ASCII only) with the result(s). Used by test/paginate*.test.ts
and test/resume-token.test.ts as a long-lived child process, so many cases cost one Python start.

Requests ("op"):
  paginate        drive botocore.paginate.PageIterator directly over an in-memory fake service
                  (the same fake as test/oracle/harness.ts): see FakeService and paginate() below.
  paginate_boto3  drive boto3's real paginator against an HTTP endpoint (e.g. the emulator):
                  {"endpoint", "operation" (snake_case), "params", "paginationConfig", "region"?}
  encode          TokenEncoder().encode(dict(pairs))            {"pairs": [[key, value], ...]}
  parse           PageIterator._parse_starting_token()          {"startingToken", "inputTokens"}
  b64decode       base64.b64decode(s) as hex                    {"s"}
  int             int(s)                                        {"s"}
"""

import base64
import json
import sys

import jmespath
from botocore.paginate import PageIterator, TokenEncoder


class ServiceError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class FakeService:
    """An AdminListUserAuthEvents-like listing of `n` items.

    Page size: the limit member; 0 or absent means `defaultPageSize`; above `maxPageSize` is an
    InvalidParameterException. Tokens are opaque to clients: `tokenPrefix + str(offset)`.
    `stuckAt`: from that offset on, the service answers with the token it was sent (a stuck service).
    `end`: how the last page says there is no more: "absent", "null" or "empty" (an empty string).
    """

    def __init__(self, case):
        spec = case["spec"]
        self.input_token = spec["inputToken"]
        self.output_token = spec["outputToken"]
        self.items_key = spec["items"]
        self.limit_key = spec.get("pageSize")
        self.n = case["n"]
        self.item_prefix = case.get("itemPrefix", "e")
        self.token_prefix = case.get("tokenPrefix", "tok:")
        self.default_page_size = case.get("defaultPageSize", 60)
        self.max_page_size = case.get("maxPageSize", 60)
        self.stuck_at = case.get("stuckAt")
        self.end = case.get("end", "absent")
        self.requests = []

    def __call__(self, **kwargs):
        token = kwargs.get(self.input_token)
        limit = kwargs.get(self.limit_key) if self.limit_key else None
        self.requests.append({"token": token, "limit": limit})
        offset = 0
        if token is not None:
            rest = token[len(self.token_prefix):] if token.startswith(self.token_prefix) else None
            if rest is None or not rest.isascii() or not rest.isdigit():
                raise ServiceError("InvalidParameterException", "Invalid pagination token")
            offset = int(rest)
        if limit is not None and limit > self.max_page_size:
            raise ServiceError("InvalidParameterException", "page size too large")
        size = self.default_page_size if not limit else limit
        items = [{"Id": self.item_prefix + str(i)} for i in range(offset, min(offset + size, self.n))]
        out = {self.items_key: items}
        if self.stuck_at is not None and offset >= self.stuck_at and token is not None:
            out[self.output_token] = token
        elif offset + size < self.n:
            out[self.output_token] = self.token_prefix + str(offset + size)
        elif self.end == "null":
            out[self.output_token] = None
        elif self.end == "empty":
            out[self.output_token] = ""
        return out


def error_of(exc):
    if isinstance(exc, ServiceError):
        return {"type": exc.code, "message": str(exc)}
    return {"type": type(exc).__name__, "message": str(exc)}


def paginate(case):
    """One listing. Returns the pages' item ids, the requests sent, the resume token and
    build_full_result's NextToken (a second, identical listing), or the error raised."""
    spec = case["spec"]

    def iterator(service):
        return PageIterator(
            service,
            [spec["inputToken"]],
            [jmespath.compile(spec["outputToken"])],
            None,
            [jmespath.compile(spec["items"])],
            [],
            spec.get("pageSize"),
            None if case.get("maxItems") is None else int(case["maxItems"]),
            case.get("startingToken"),
            None if case.get("pageSize") is None else int(case["pageSize"]),
            dict(case.get("input", {})),
        )

    service = FakeService(case)
    result = {"pages": [], "requests": service.requests}
    pages = iterator(service)
    try:
        for page in pages:
            result["pages"].append([item["Id"] for item in (page.get(spec["items"]) or [])])
        result["resumeToken"] = pages.resume_token
    except Exception as exc:  # noqa: BLE001 - the oracle reports whatever botocore raises
        result["error"] = error_of(exc)
        return result
    if case.get("full"):
        try:
            full = iterator(FakeService(case)).build_full_result()
            result["full"] = {
                "items": None if full.get(spec["items"]) is None else [i["Id"] for i in full[spec["items"]]],
                "NextToken": full.get("NextToken"),
                "keys": list(full.keys()),
            }
        except Exception as exc:  # noqa: BLE001
            result["full"] = {"error": error_of(exc)}
    return result


def paginate_boto3(req):
    import boto3

    client = boto3.client(
        req.get("service", "cognito-idp"),
        endpoint_url=req["endpoint"],
        region_name=req.get("region", "us-east-1"),
        aws_access_key_id=req.get("accessKeyId", "AKIDEXAMPLE"),
        aws_secret_access_key=req.get("secretAccessKey", "oracle-secret"),
    )
    paginator = client.get_paginator(req["operation"])
    pages = paginator.paginate(**req.get("params", {}), PaginationConfig=req.get("paginationConfig", {}))
    out = {"pages": []}
    try:
        for page in pages:
            page.pop("ResponseMetadata", None)
            out["pages"].append(page)
        out["resumeToken"] = pages.resume_token
    except Exception as exc:  # noqa: BLE001
        out["error"] = error_of(exc)
    return out


def parse(req):
    it = PageIterator(None, req["inputTokens"], [], None, [], [], None, None, req["startingToken"], None, {})
    try:
        token, index = it._parse_starting_token()
    except Exception as exc:  # noqa: BLE001
        return {"error": error_of(exc)}
    return {"tokens": [[k, v] for k, v in token.items()], "index": index}


def b64decode(req):
    try:
        return {"hex": base64.b64decode(req["s"].encode("utf-8")).hex()}
    except Exception as exc:  # noqa: BLE001
        return {"error": error_of(exc)}


def to_int(req):
    try:
        return {"value": int(req["s"])}
    except Exception as exc:  # noqa: BLE001
        return {"error": error_of(exc)}


OPS = {
    "paginate": paginate,
    "paginate_boto3": paginate_boto3,
    "encode": lambda req: {"token": TokenEncoder().encode(dict(req["pairs"]))},
    "parse": parse,
    "b64decode": b64decode,
    "int": to_int,
}


def handle(req):
    try:
        return OPS[req["op"]](req)
    except Exception as exc:  # noqa: BLE001 - report, never die: the test reads one line per request
        return {"error": error_of(exc), "oracleFailure": True}


def main():
    for raw in sys.stdin.buffer:
        line = raw.decode("utf-8").strip()
        if not line:
            continue
        req = json.loads(line)
        res = [handle(r) for r in req] if isinstance(req, list) else handle(req)
        sys.stdout.write(json.dumps(res, default=str) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
