"""Loads the demo register (data/seed/register.json) and the published content (data/content/)
through the same store models the functions use."""

from __future__ import annotations

import json

from local.template import ROOT

CONTENT_DIR = ROOT / "data" / "content"
REGISTER_FILE = ROOT / "data" / "seed" / "register.json"

# kind → (file, list key, id field)
CONTENT_FILES = {
    "outlet": ("outlets.json", "outlets", "code"),
    "business_type": ("business_types.json", "business_types", "code"),
    "materials": ("materials.json", "materials", "business"),
    "policy": ("policies.json", "policies", "id"),
    "guide": ("guides.json", "guides", "id"),
    "faq": ("faqs.json", "faqs", "id"),
}


def load_register_data() -> dict:
    return json.loads(REGISTER_FILE.read_text(encoding="utf-8"))


def seed_content(now: str) -> int:
    from estate.store.content import ContentItem

    count = 0
    with ContentItem.batch_write() as batch:
        for kind, (file_name, key, id_field) in CONTENT_FILES.items():
            entries = json.loads((CONTENT_DIR / file_name).read_text(encoding="utf-8"))[key]
            for position, entry in enumerate(entries):
                batch.save(ContentItem(kind, str(entry[id_field]), position=position, data=entry, updated_at=now))
                count += 1
        for position, bank in enumerate(load_register_data()["banks"]):
            batch.save(ContentItem("bank", bank["code"], position=position, data=bank, updated_at=now))
            count += 1
    return count


def reference_photo(seed: str) -> bytes:
    """A small, valid PNG standing in for the real-name platform's ID photo (moto's CompareFaces
    does not look at pixels; the Rekognition adapter is tested with botocore's Stubber)."""
    import struct
    import zlib

    width = height = 8
    shade = sum(seed.encode()) % 200 + 30
    raw = b"".join(b"\x00" + bytes([shade, 120, 255 - shade]) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def seed_register(photos_bucket: str) -> dict[str, int]:
    import boto3

    from estate.store.people import Person
    from estate.store.register import Certificate, Holding, Unit

    data = load_register_data()
    s3 = boto3.client("s3")
    with Person.batch_write() as batch:
        for p in data["people"]:
            photo_key = f"reference-faces/{p['id_number']}.png"
            s3.put_object(Bucket=photos_bucket, Key=photo_key, Body=reference_photo(p["id_number"]),
                          ContentType="image/png")
            batch.save(Person(p["id_number"], name=p["name"], phone=p["phone"], address=p.get("address"),
                              marital_status=p.get("marital_status"), photo_key=photo_key))
    for u in data["units"]:
        Unit.from_record(u).save()
    with Certificate.batch_write() as certs, Holding.batch_write() as holdings:
        for u in data["units"]:
            certificate, owners = register_indexes(u)
            certs.save(certificate)
            for holding in owners:
                holdings.save(holding)
    return {"people": len(data["people"]), "units": len(data["units"])}


def register_indexes(unit: dict) -> tuple:
    """A unit record's lookup items: its certificate number, and one holding per owner."""
    from estate.store.register import Certificate, Holding

    right = unit["right"]
    certificate = Certificate(*Certificate.key(right["certificate_number"]),
                              certificate_number=right["certificate_number"], unit_number=unit["unit_number"])
    holdings = [Holding(*Holding.key(owner["id_number"], unit["unit_number"]), id_number=owner["id_number"],
                        unit_number=unit["unit_number"]) for owner in right["owners"]]
    return certificate, holdings
