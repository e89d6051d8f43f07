"""UsageError names arguments in the core's words, and each adapter words them its own way."""

from tenure.errors import UsageError


def test_the_python_api_reads_the_parameter_names():
    error = UsageError("{start} 2025-02 is after {end} 2025-01")
    assert str(error) == "start 2025-02 is after end 2025-01"


def test_an_adapter_words_the_parameters_as_it_names_them():
    error = UsageError("{as_of}: 'x' is not a day")
    assert error.worded(lambda name: "--" + name.replace("_", "-")) == "--as-of: 'x' is not a day"


def test_the_parameters_named_are_listed_once_in_order():
    assert UsageError("{start} is after {end}; {start} again").arguments == ["start", "end"]


def test_a_message_without_parameters_is_kept_as_written():
    error = UsageError("unknown account 'acme'; `tenure accounts` lists them")
    assert error.worded(str.upper) == "unknown account 'acme'; `tenure accounts` lists them"


def test_a_close_name_is_suggested():
    from tenure.errors import did_you_mean

    assert did_you_mean("segmnt", ["segment", "owner"]) == "; did you mean 'segment'?"


def test_a_name_said_without_its_prefix_is_suggested():
    from tenure.errors import did_you_mean

    # "tier" is no closer than "attr_tier" by ratio alone; the prefix rule finds it all the same.
    assert did_you_mean("ab", ["attr_ab", "owner"]) == "; did you mean 'attr_ab'?"


def test_no_suggestion_when_nothing_is_close():
    from tenure.errors import did_you_mean

    assert did_you_mean("happiness", ["segment", "owner"]) == ""
