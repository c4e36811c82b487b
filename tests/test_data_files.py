"""The word-list loader: every list names its source, and a malformed file fails with the file named."""
import pytest

from warmonitor.data_files import DataFileError, load_word_table, load_words


def write(tmp_path, body):
    path = tmp_path / "kind.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_words_come_back_in_file_order(tmp_path):
    path = write(tmp_path, 'source = "written for the test"\nwords = ["near", "in", "outside"]\n')
    assert load_words("kind", path=path) == ("near", "in", "outside")


def test_a_named_list_and_a_table_of_one_kind(tmp_path):
    path = write(tmp_path, 'source = "test"\nshort = ["mr", "dr"]\n[month]\njan = 1\nfeb = 2\n')
    assert load_words("kind", "short", path=path) == ("mr", "dr")
    assert load_word_table("kind", "month", path=path) == {"jan": 1, "feb": 2}


@pytest.mark.parametrize("body, message", [
    ('words = ["in"]\n', "needs a 'source' line"),
    ('source = "  "\nwords = ["in"]\n', "needs a 'source' line"),
    ('source = "x"\nwords = "in near"\n', "should be a list of non-empty strings"),
    ('source = "x"\nwords = ["in", ""]\n', "should be a list of non-empty strings"),
    ('source = "x"\nwords = ["in", "near", "in"]\n', "lists 'in' twice"),
    ('source = "x"\nother = ["in"]\n', "'words' should be a list"),
    ('source = "x"\nwords = [\n', "cannot load data file"),
])
def test_malformed_word_files_name_the_file_and_the_problem(tmp_path, body, message):
    path = write(tmp_path, body)
    with pytest.raises(DataFileError) as caught:
        load_words("kind", path=path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_a_table_that_is_not_a_table_is_refused(tmp_path):
    path = write(tmp_path, 'source = "x"\nmonth = ["jan"]\n')
    with pytest.raises(DataFileError, match=r"'\[month\]' should be a table"):
        load_word_table("kind", "month", path=path)


def test_files_of_the_package_are_named_in_errors(tmp_path, monkeypatch):
    from warmonitor import data_files

    (tmp_path / "words").mkdir()
    (tmp_path / "words" / "kind.toml").write_text('words = ["in"]\nmonth = ["jan"]\n', encoding="utf-8")
    monkeypatch.setattr(data_files, "data_path", lambda name: tmp_path / name)
    with pytest.raises(DataFileError, match=r"words/kind\.toml: needs a 'source' line"):
        load_words("kind")
    (tmp_path / "words" / "kind.toml").write_text('source = "x"\nmonth = ["jan"]\n', encoding="utf-8")
    with pytest.raises(DataFileError, match=r"words/kind\.toml: '\[month\]' should be a table"):
        load_word_table("kind", "month")
    with pytest.raises(DataFileError, match=r"words/absent\.toml: cannot load data file"):
        load_words("absent")
