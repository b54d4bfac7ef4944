import json

from estate.observability import logger, mask_id_number, mask_name, mask_phone, mask_text


def test_masks_keep_only_what_support_needs():
    assert mask_id_number("140302198001010013") == "140302********0013"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_name("王建国") == "王**" and mask_name("王芳") == "王*" and mask_name("") == ""


def test_free_text_masking_catches_ids_and_phones_but_not_unit_numbers():
    text = "seller 14030219800101001X phone +8613812345678 unit 140302001002GB00001F00010001 at 1732860000123"
    masked = mask_text(text)
    assert "14030219800101001X" not in masked and "140302********001X" in masked
    assert "13812345678" not in masked and "138****5678" in masked
    assert "140302001002GB00001F00010001" in masked  # register identifiers are not personal data
    assert "1732860000123" in masked                 # millisecond timestamps are left alone


def test_the_logger_masks_whatever_a_call_site_forgets(log_output):
    logger.info("careless", body={"id_number": "140302198001010013", "phone": "13912345678"})
    out = log_output.getvalue()
    assert "140302198001010013" not in out and "13912345678" not in out
    record = json.loads(out.strip().splitlines()[-1])
    assert record["message"] == "careless"
    assert record["body"]["id_number"] == "140302********0013"
