#!/usr/bin/python3
"""Real responses of `smartchurn serve` checked against docs/openapi.yaml.

Starts the real binary on a demo store, calls every route (each at least once with a 2xx, and a
few errors), and checks each answer against the spec: its status is declared, its content type
is one the spec names, and a JSON body matches the declared schema (OpenAPI 3.0's nullable made
JSON Schema). Every route the server adds (src/server/routes) must be in the spec and answered
with a 2xx here. Run by CTest (tests/CMakeLists.txt); prints SKIPPED when python3-yaml or
python3-jsonschema is missing.

usage: openapi_responses.py BINARY SPEC ROUTES_DIR
"""
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

try:
    import jsonschema
    import yaml
except ImportError as missing:
    print(f"SKIPPED: {missing.name} is not installed (Debian: python3-yaml python3-jsonschema)")
    sys.exit(0)

API = "/api/v1"


def json_schema(node):
    """OpenAPI 3.0 schema objects as JSON Schema: `nullable: true` becomes a null type."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: json_schema(value) for key, value in node.items()}
    if out.pop("nullable", False):
        if "type" in out:
            out["type"] = [out["type"], "null"]
        if "enum" in out:
            out["enum"] = out["enum"] + [None]
        if "$ref" in out or "oneOf" in out or "allOf" in out:
            out = {"anyOf": [{"type": "null"}, out]}
    return out


class Spec:
    def __init__(self, path):
        with open(path, "rb") as f:
            self.raw = f.read()
        self.doc = yaml.safe_load(self.raw)
        self.schema_root = json_schema(self.doc)
        self.operations = {}  # (method, template) -> operation, template relative to the server
        for template, item in self.doc["paths"].items():
            for method, operation in item.items():
                if method in ("get", "post", "put", "delete", "patch"):
                    self.operations[(method.upper(), template)] = operation
        self.answered = set()  # operations seen with a 2xx

    def operation_for(self, method, path):
        relative = path[len(API):] if path.startswith(API + "/") else path
        for (op_method, template), operation in self.operations.items():
            pattern = "^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template)) + "$"
            if op_method == method and re.match(pattern, relative):
                return (op_method, template), operation
        return None, None

    def check(self, method, path, status, content_type, body):
        """The problems of one response against the spec, as a list of strings."""
        key, operation = self.operation_for(method, path.split("?")[0])
        where = f"{method} {path} -> {status}"
        if operation is None:
            if status != 404:
                return [f"{where}: no such operation in the spec"]
            operation = {"responses": {"404": {"$ref": "#/components/responses/Error"}}}
        responses = operation.get("responses", {})
        declared = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX") or responses.get("default")
        if declared is None:
            return [f"{where}: status not declared (declared: {sorted(responses)})"]
        if "$ref" in declared:
            declared = self.resolve(declared["$ref"])
        if 200 <= status < 300:
            self.answered.add(key)
        content = declared.get("content")
        if not content:
            if body:
                return [f"{where}: the spec declares no content, the server sent {content_type}"]
            return []
        media = content_type.split(";")[0].strip()
        if media not in content:
            return [f"{where}: content type {media} not declared ({sorted(content)})"]
        schema = content[media].get("schema")
        if schema is None:
            return [f"{where}: no schema for {media}"]
        if media != "application/json":
            return []
        try:
            instance = json.loads(body)
        except ValueError as e:
            return [f"{where}: not JSON: {e}"]
        return self.validate(where, schema, instance)

    def validate(self, where, schema, instance):
        validator = jsonschema.Draft7Validator(
            json_schema(schema), resolver=jsonschema.RefResolver("", self.schema_root))
        return [f"{where}: {'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message[:300]}"
                for e in validator.iter_errors(instance)]

    def resolve(self, ref):
        node = self.doc
        for part in ref.lstrip("#/").split("/"):
            node = node[part]
        return node


def server_routes(routes_dir):
    """(method, template relative to /api/v1) of every route the server adds."""
    found = set()
    for name in os.listdir(routes_dir):
        if not name.endswith(".cc"):
            continue
        with open(os.path.join(routes_dir, name)) as f:
            text = f.read()
        for method, path in re.findall(r'\{"(GET|POST|PUT|DELETE|PATCH)",\s*api_path\("([^"]+)"\)', text):
            found.add((method, re.sub(r"\{(\w+):\w+\}", r"{\1}", path)))
    return found


class Server:
    def __init__(self, binary, data_dir):
        self.log_path = data_dir + ".log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [binary, "serve", "--port", "0", "--data-dir", data_dir, "--demo-rows", "300"],
            stdout=self.log, stderr=subprocess.STDOUT)
        self.port = 0
        deadline = time.time() + 180
        while time.time() < deadline and not self.port:
            if self.process.poll() is not None:
                raise SystemExit(f"serve exited: {self.output()}")
            found = re.search(r"listening on http://[^ ]*:(\d+)/", self.output())
            if found:
                self.port = int(found.group(1))
            time.sleep(0.1)
        if not self.port:
            raise SystemExit(f"serve did not start: {self.output()}")

    def output(self):
        with open(self.log_path) as f:
            return f.read()

    def request(self, method, path, body=None, headers=None, timeout=120):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response.status, response.getheader("Content-Type", ""), data

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Run:
    def __init__(self, spec, server):
        self.spec, self.server, self.problems = spec, server, []

    def call(self, method, path, expect, body=None, content_type=None, headers=None, root=False):
        """`path` is under /api/v1 unless `root`."""
        full = path if root else API + path
        headers = dict(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            content_type = content_type or "application/json"
        if content_type:
            headers["Content-Type"] = content_type
        status, media, data = self.server.request(method, full, body, headers)
        if status != expect:
            self.problems.append(f"{method} {full}: expected {expect}, got {status}: {data[:300]!r}")
        self.problems += self.spec.check(method, full, status, media, data)
        if media.startswith("application/json") and data:
            return json.loads(data)
        return data

    def error(self, method, path, expect, body=None, content_type=None):
        """An error response: its status, and its body the spec's Error schema."""
        answer = self.call(method, path, expect, body, content_type)
        if not isinstance(answer, dict) or "code" not in answer.get("error", {}):
            self.problems.append(f"{method} {path}: not an error body: {answer!r}")


def exercise(run, demo_csv):
    call = run.call
    call("GET", "/health/live", 200)
    deadline = time.time() + 240
    while run.server.request("GET", API + "/health/ready")[0] != 200:
        if time.time() > deadline:
            raise SystemExit("the demo model never became ready: " + run.server.output())
        time.sleep(0.5)
    call("GET", "/health/ready", 200)
    call("GET", "/metrics", 200)
    call("GET", "/metrics", 200, root=True)  # where a default Prometheus scrape config looks
    spec_bytes = run.server.request("GET", API + "/openapi.yaml")
    call("GET", "/openapi.yaml", 200)
    if spec_bytes[2] != run.spec.raw:
        run.problems.append("GET /openapi.yaml: not the bytes of docs/openapi.yaml")

    # Data sets.
    with open(demo_csv, "rb") as f:
        csv_bytes = f.read()
    uploaded = call("POST", "/datasets", 201, csv_bytes, "text/csv")
    dataset_id = uploaded["id"]
    call("GET", "/datasets", 200)
    call("GET", f"/datasets/{dataset_id}", 200)
    call("GET", f"/datasets/{dataset_id}/profile", 200)
    call("GET", f"/datasets/{dataset_id}/profile?target=churn", 200)

    # Training: one quick job to the end, one cancelled while queued or running.
    request = {"dataset_id": dataset_id, "target": "churn", "id_column": "customer_id",
               "models": ["lr"], "folds": 2}
    job = call("POST", "/training-jobs", 202, request)
    cancelled = call("POST", "/training-jobs", 202, request)
    call("DELETE", f"/training-jobs/{cancelled['id']}", 202)
    deadline = time.time() + 240
    while True:
        state = call("GET", f"/training-jobs/{job['id']}", 200)
        if state["status"] in ("succeeded", "failed", "cancelled") or time.time() > deadline:
            break
        time.sleep(0.5)
    if state["status"] != "succeeded":
        run.problems.append(f"training job ended {state['status']}: {state.get('error')}")
    # Each event's data is the job, as GET /training-jobs/{id} gives it.
    stream = call("GET", f"/training-jobs/{job['id']}/events", 200).decode()
    events = [line[len("data: "):] for line in stream.splitlines() if line.startswith("data: ")]
    if not events or "event: done" not in stream:
        run.problems.append(f"the event stream of a finished job has no done event: {stream[:300]!r}")
    for data in events:
        run.problems += run.spec.validate("event data", {"$ref": "#/components/schemas/TrainingJob"},
                                          json.loads(data))
    run.error("DELETE", f"/training-jobs/{job['id']}", 409)

    # Models: the new one is inactive; activate the demo's active one again, delete the new one.
    models = call("GET", "/models", 200)["models"]
    active = next(m for m in models if m["active"])
    call("GET", f"/models/{active['id']}", 200)
    call("POST", f"/models/{active['id']}/activate", 200)
    if state.get("model_id"):
        call("GET", f"/models/{state['model_id']}", 200)
        call("DELETE", f"/models/{state['model_id']}", 204)
    run.error("DELETE", f"/models/{active['id']}", 409)
    run.error("GET", "/models/999999", 404)

    # Scoring.
    header, first, second = csv_bytes.decode().splitlines()[:3]
    columns = header.split(",")

    def customer(line):
        values = dict(zip(columns, line.split(",")))
        values.pop("churn")
        return {k: (None if v.strip() == "" else v) for k, v in values.items()}

    one, two = customer(first), customer(second)
    call("POST", "/predict", 200, one)
    call("POST", "/predict", 200, dict(one, explain=3))
    call("POST", "/predict", 200, {"customers": [one, two]})
    call("POST", "/predict", 200, {"customers": [one, two], "explain": 2})
    run.error("POST", "/predict", 400, dict(one, tenure_months="many"))
    run.error("POST", "/predict", 415, json.dumps(one), "text/plain")
    run.error("POST", "/predict", 400, "{not json", "application/json")
    call("POST", "/what-if", 200, {"customer": one, "changes": {"contract": "Two year"}})
    run.error("POST", "/what-if", 400, {"changes": {}})

    call("POST", "/predict/batch", 200, csv_bytes, "text/csv")
    call("POST", "/predict/batch", 200, csv_bytes, "text/csv", {"Accept": "application/json"})
    batch = call("POST", "/predict/batch?async=true", 202, csv_bytes, "text/csv")
    deadline = time.time() + 120
    while True:
        state = call("GET", f"/predict/batch/{batch['id']}", 200)
        if state["status"] not in ("queued", "running") or time.time() > deadline:
            break
        time.sleep(0.2)
    call("GET", f"/predict/batch/{batch['id']}/result", 200)
    run.error("GET", "/predict/batch/999999", 404)

    # Customers, the dashboard, outcomes.
    listed = call("GET", "/customers?limit=5&sort=-churn_probability", 200)
    some_id = listed["customers"][0]["customer_id"]
    call("GET", "/customers/" + urllib.parse.quote(some_id, safe=""), 200)
    run.error("GET", "/customers/nobody-has-this-id", 404)
    run.error("GET", "/customers?limit=0", 400)
    call("GET", "/dashboard/summary", 200)
    call("POST", "/outcomes", 201, {"outcomes": [{"customer_id": some_id, "churned": True,
                                                  "date": "2026-01-31"}]})
    run.error("POST", "/outcomes", 400, {"outcomes": [{"customer_id": some_id, "churned": True,
                                                       "date": "2026-02-30"}]})

    # A second upload, deleted (the first one trained a model).
    extra = call("POST", "/datasets", 201, csv_bytes, "text/csv")
    call("DELETE", f"/datasets/{extra['id']}", 204)
    run.error("GET", f"/datasets/{extra['id']}", 404)
    run.error("GET", "/no/such/route", 404)


def main():
    binary, spec_path, routes_dir = sys.argv[1:4]
    spec = Spec(spec_path)
    problems = []
    routes = server_routes(routes_dir)
    if len(routes) < 20:  # the pattern below no longer matches how routes are added
        problems.append(f"only {len(routes)} routes found in {routes_dir}")
    for route in sorted(routes - set(spec.operations)):
        problems.append(f"route {route[0]} {route[1]} is not in the spec")
    with tempfile.TemporaryDirectory(prefix="smartchurn-openapi-") as tmp:
        demo_csv = os.path.join(tmp, "demo.csv")
        subprocess.run([binary, "demo-data", "--rows", "200", "--seed", "5", "-o", demo_csv],
                       check=True, capture_output=True)
        server = Server(binary, os.path.join(tmp, "data"))
        run = Run(spec, server)
        try:
            exercise(run, demo_csv)
        finally:
            server.stop()
        problems += run.problems
    for key in sorted(set(spec.operations) - spec.answered):
        problems.append(f"{key[0]} {key[1]}: never answered with a 2xx by this test")
    for problem in problems:
        print("FAIL:", problem)
    print(f"{len(problems)} problem(s)" if problems else
          f"all {len(spec.operations)} operations answered, every response matched the spec")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
