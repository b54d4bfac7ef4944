"""The app's release step (infra/release_app.py) against moto's S3 and CloudFront: every file of a
built app lands under app/ with its Cache-Control and Content-Type, index.html last, and one
invalidation names the unhashed paths. Run in a subprocess: moto's mock there cannot touch the
in-process stack this worker's other tests share."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

DRIVER = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    import boto3
    from moto import mock_aws
    sys.path.insert(0, sys.argv[2])
    from infra.release_app import release

    with mock_aws():
        session = boto3.session.Session(region_name="us-east-1")
        s3, cloudfront = session.client("s3"), session.client("cloudfront")
        s3.create_bucket(Bucket="estate-app")
        distribution = cloudfront.create_distribution(DistributionConfig={
            "CallerReference": "test", "Comment": "app", "Enabled": True,
            "Origins": {"Quantity": 1, "Items": [{"Id": "app", "DomainName": "estate-app.s3.amazonaws.com",
                                                  "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
            "DefaultCacheBehavior": {"TargetOriginId": "app", "ViewerProtocolPolicy": "redirect-to-https"},
        })["Distribution"]["Id"]
        order = []
        original = s3.put_object
        session.client = lambda name, **kw: {"s3": s3, "cloudfront": cloudfront}[name]
        def put(**kw):
            order.append(kw["Key"])
            return original(**kw)
        s3.put_object = put
        invalidation = release(Path(sys.argv[1]), "estate-app", distribution, session, echo=lambda line: None)
        objects = {}
        for key in order:
            head = s3.head_object(Bucket="estate-app", Key=key)
            objects[key] = {"cache": head["CacheControl"], "type": head["ContentType"], "size": head["ContentLength"]}
        batch = cloudfront.get_invalidation(DistributionId=distribution, Id=invalidation)["Invalidation"]
        print(json.dumps({"order": order, "objects": objects, "paths": batch["InvalidationBatch"]["Paths"]["Items"]}))
""")


@pytest.fixture()
def built_app(tmp_path) -> Path:
    app = tmp_path / "app"
    (app / "assets").mkdir(parents=True)
    (app / "index.html").write_text('<!doctype html><script type="module" src="/app/assets/index-AbC123.js"></script>')
    (app / "assets" / "index-AbC123.js").write_text("console.log(1)")
    (app / "assets" / "index-Zz9.css").write_text("body{}")
    (app / "assets" / "pdf.worker.min-Q1w2.mjs").write_text("//")
    (app / "favicon.svg").write_text("<svg/>")
    return app


def run_release(app: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", DRIVER, str(app), str(ROOT)], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_hashed_files_are_immutable_pages_revalidate_and_index_goes_last(built_app):
    released = run_release(built_app)
    objects = released["objects"]
    assert set(objects) == {"app/index.html", "app/favicon.svg", "app/assets/index-AbC123.js",
                            "app/assets/index-Zz9.css", "app/assets/pdf.worker.min-Q1w2.mjs"}
    for key, head in objects.items():
        hashed = key.startswith("app/assets/")
        assert head["cache"] == ("public, max-age=31536000, immutable" if hashed else "no-cache"), key
    assert objects["app/index.html"]["type"] == "text/html; charset=utf-8"
    assert objects["app/assets/index-AbC123.js"]["type"] == "text/javascript; charset=utf-8"
    assert objects["app/assets/pdf.worker.min-Q1w2.mjs"]["type"] == "text/javascript; charset=utf-8"
    assert objects["app/assets/index-Zz9.css"]["type"] == "text/css; charset=utf-8"
    assert objects["app/favicon.svg"]["type"] == "image/svg+xml"
    # a phone loading the app mid-release never gets an index.html whose chunks are not there yet
    assert released["order"][-1] == "app/index.html"
    assert all(key.startswith("app/assets/") for key in released["order"][:3])
    assert sorted(released["paths"]) == ["/app/", "/app/favicon.svg", "/app/index.html"]


def test_a_directory_that_is_not_a_built_app_is_refused_before_anything_is_sent(tmp_path):
    from infra.release_app import plan

    with pytest.raises(SystemExit, match="make web-app"):
        plan(tmp_path)


def test_the_plan_keys_every_file_under_app_and_invalidates_only_the_unhashed(built_app):
    from infra.release_app import invalidation_paths, plan

    uploads = plan(built_app)
    assert [u.key for u in uploads][-1] == "app/index.html"
    assert invalidation_paths(uploads) == ["/app/", "/app/favicon.svg", "/app/index.html"]
