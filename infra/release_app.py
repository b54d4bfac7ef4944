"""Release the citizen app: copy build/web/app to the stack's AppBucket under app/ and have CloudFront
drop its copy of the pages that are not content-hashed.

    make release-app STACK=estate-prod            # bucket and distribution read from the stack's outputs
    python infra/release_app.py --bucket B --distribution D [--dir build/web/app] [--dry-run]

Each file gets its own Cache-Control: Vite names everything under assets/ by content hash, so those
are kept for a year (`immutable`); index.html (and any other unhashed file) is `no-cache`, so a phone
asks again on every start and sees a new release at once. The order is what keeps a phone that loads
the app mid-release working: the hashed files first, index.html last, then one invalidation of the
unhashed paths. Old hashed files are left in place: a page opened before the release still loads
its lazy chunks (remove them with a lifecycle rule or by hand after a while, never in this step).

Standard library plus boto3 (credentials from the usual AWS chain). Prints one line per file and the
invalidation's id; exits non-zero if the directory is not a built app.
"""

from __future__ import annotations

import argparse
import hashlib
import mimetypes
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = ROOT / "build" / "web" / "app"
PREFIX = "app/"                 # the distribution's /app* behaviour reads this prefix of the bucket
HASHED_DIR = "assets/"          # Vite's assetsDir: every name there carries its content hash
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".wasm": "application/wasm",
    ".map": "application/json",
}


@dataclass(frozen=True)
class Upload:
    path: Path
    key: str
    content_type: str
    cache_control: str

    @property
    def hashed(self) -> bool:
        return self.cache_control == IMMUTABLE


def plan(directory: Path) -> list[Upload]:
    """Every file of the built app with its key and headers, hashed files first, index.html last."""
    if not (directory / "index.html").is_file():
        raise SystemExit(f"{directory} has no index.html: build the app first (make web-app)")
    uploads = []
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        relative = path.relative_to(directory).as_posix()
        content_type = CONTENT_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        cache = IMMUTABLE if relative.startswith(HASHED_DIR) else REVALIDATE
        uploads.append(Upload(path, PREFIX + relative, content_type, cache))
    return sorted(uploads, key=lambda u: (not u.hashed, u.key == PREFIX + "index.html", u.key))


def invalidation_paths(uploads: list[Upload]) -> list[str]:
    """The unhashed files, and /app/ itself (the SPA fallback serves index.html for every route path,
    but the viewer request function rewrites those to /app/index.html before the cache is looked up)."""
    paths = ["/" + u.key for u in uploads if not u.hashed]
    return sorted({*paths, "/" + PREFIX})


def stack_outputs(stack: str, session) -> tuple[str, str]:
    outputs = session.client("cloudformation").describe_stacks(StackName=stack)["Stacks"][0].get("Outputs", [])
    values = {o["OutputKey"]: o["OutputValue"] for o in outputs}
    missing = [k for k in ("AppBucketName", "AppDistributionId") if k not in values]
    if missing:
        raise SystemExit(f"stack {stack} has no output {', '.join(missing)}")
    return values["AppBucketName"], values["AppDistributionId"]


def release(directory: Path, bucket: str, distribution: str, session, *, dry_run: bool = False,
            echo=print) -> str | None:
    """Upload every file, then invalidate the unhashed paths; the invalidation's id (None on a dry run)."""
    uploads = plan(directory)
    s3 = session.client("s3")
    for upload in uploads:
        echo(f"{'would put' if dry_run else 'put'} s3://{bucket}/{upload.key} {upload.content_type} [{upload.cache_control}]")
        if not dry_run:
            s3.put_object(Bucket=bucket, Key=upload.key, Body=upload.path.read_bytes(),
                          ContentType=upload.content_type, CacheControl=upload.cache_control)
    paths = invalidation_paths(uploads)
    if dry_run:
        echo(f"would invalidate {' '.join(paths)} on {distribution}")
        return None
    index = (directory / "index.html").read_bytes()
    reference = f"app-{int(time.time())}-{hashlib.sha256(index).hexdigest()[:12]}"
    answer = session.client("cloudfront").create_invalidation(
        DistributionId=distribution,
        InvalidationBatch={"Paths": {"Quantity": len(paths), "Items": paths}, "CallerReference": reference})
    invalidation = answer["Invalidation"]["Id"]
    echo(f"invalidation {invalidation} of {' '.join(paths)} on {distribution}")
    return invalidation


def main(argv: list[str] | None = None) -> int:
    import boto3

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="the built app (default build/web/app)")
    parser.add_argument("--stack", help="read AppBucketName and AppDistributionId from this stack's outputs")
    parser.add_argument("--bucket", help="the AppBucket (instead of --stack)")
    parser.add_argument("--distribution", help="the AppDistribution's id (instead of --stack)")
    parser.add_argument("--dry-run", action="store_true", help="print what would be uploaded and invalidated")
    args = parser.parse_args(argv)
    session = boto3.session.Session()
    if args.stack:
        bucket, distribution = stack_outputs(args.stack, session)
    elif args.bucket and args.distribution:
        bucket, distribution = args.bucket, args.distribution
    else:
        parser.error("give --stack, or both --bucket and --distribution")
    release(args.dir, bucket, distribution, session, dry_run=args.dry_run)
    return 0


if __name__ == "__main__":
    sys.exit(main())
