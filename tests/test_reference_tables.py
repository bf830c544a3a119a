"""The nine computed tables of each example against its reference transcription, cell by cell."""

import pytest
from expected_tables import expected_rows, known_reference_errors
from identities import assert_identities, printed_tables

from budgetgen.analysis import analyse


def test_nine_tables_match_reference(reference):
    ref, expected, example = reference
    analysis = analyse(example)
    assert analysis.ok, [p.message for p in analysis.problems]
    assert [t.title for t in analysis.tables] == expected["table_titles"]
    for table in analysis.tables:
        want = expected_rows(ref, table.key, expected)
        got = table.as_printed()
        for (r, c), (printed_in_ref, ours) in known_reference_errors(ref, table.key).items():
            assert want[r][c] == printed_in_ref, "the known reference error is no longer in the transcription"
            assert got[r][c] == ours
            want[r][c] = ours
        assert got == want, f"{ref} {table.title}"


def test_empty_tables_carry_the_reference_note(reference):
    ref, expected, example = reference
    analysis = analyse(example)
    for key in ("政府性基金预算财政拨款支出表", "国有资本经营预算财政拨款支出表"):
        data = expected["tables"][key]
        table = analysis.tables[key]
        if isinstance(data, dict):
            assert table.rows == [] and table.note == data["empty_note"]
        else:
            assert table.note is None


def test_reference_004_three_public_error_is_corrected():
    """E1: the reference prints row 二 blank and 合计 as the integer 8; we print 6.00 and 8.00."""
    from conftest import REFERENCE_EXAMPLES

    table = analyse(REFERENCE_EXAMPLES["004"]).tables["三公经费支出表"]
    rows = table.as_printed()
    assert rows[0][:2] == ["合计", "8.00"]
    assert rows[5][:2] == ["二、公务用车购置及运维费", "6.00"]


def test_identities_hold_on_every_example(reference):
    _, _, example = reference
    assert_identities(printed_tables(analyse(example).tables))


@pytest.mark.parametrize("ref", ["000", "001", "004"])
def test_examples_name_department_as_printed(ref):
    from conftest import REFERENCE_EXAMPLES, load_expected

    analysis = analyse(REFERENCE_EXAMPLES[ref])
    expected = load_expected(ref)
    assert analysis.budget.department.name == expected["dept_name"]
    assert analysis.budget.department.code == expected["dept_code"]
    assert analysis.budget.year == expected["year"]
