import pytest
from django.http import QueryDict

from ikm_registry.public import stats
from ikm_registry.public.filters import IKMUnitFilter, SentraFilter
from ikm_registry.tests.factories import sector

pytestmark = pytest.mark.django_db


def test_each_filter_set_has_its_own_filters_bound_to_itself():
    sector("KAYU")
    first = IKMUnitFilter(QueryDict("kbli=16&sector=KAYU"))
    second = IKMUnitFilter(QueryDict("kbli=31"))
    for filterset in (first, second):
        kbli = filterset.filters["kbli"]
        assert kbli is not IKMUnitFilter.base_filters["kbli"]
        assert kbli.parent is filterset and kbli.filter.f is kbli  # the method runs on this filter set
        assert filterset.filters["sector"].extra["choices"]
    assert IKMUnitFilter.base_filters["sector"].extra["choices"] == []  # the class's filters stay as declared
    assert first.is_valid() and second.is_valid()
    assert "16%" in first.qs.query.sql_with_params()[1] and "31%" in second.qs.query.sql_with_params()[1]
    assert first.form.cleaned_data["kbli"] == "16" and second.form.cleaned_data["kbli"] == "31"


def test_form_class_is_built_once_per_filter_set_and_sector_list():
    sector("KAYU")
    assert type(IKMUnitFilter(QueryDict()).form) is type(IKMUnitFilter(QueryDict("q=amplang")).form)
    assert type(IKMUnitFilter(QueryDict()).form) is not type(SentraFilter(QueryDict()).form)
    form = IKMUnitFilter(QueryDict("sector=KAYU")).form
    assert form.is_valid() and ("KAYU", "Industri Barang dari Kayu dan Furnitur") in form.fields["sector"].choices
    form.fields["q"].max_length = 1  # a form's fields and widgets are its own copies
    form.fields["sector"].widget.attrs["class"] = "changed"
    form.fields["kbli"].validators.append(None)
    fresh = IKMUnitFilter(QueryDict()).form
    assert fresh.fields["q"].max_length == 200 and "class" not in fresh.fields["sector"].widget.attrs
    assert None not in fresh.fields["kbli"].validators


@pytest.mark.parametrize(
    "query, province",
    [
        ("province=62&regency=62.71&sector=KAYU", "62"),
        ("region=62.71.04.1002", "62"),
        ("district=63.71.03", "63"),
        ("province=62&regency=63.71", None),  # two provinces: the whole country's stamp
        ("regency=62.71&regency=61.71", None),
        ("sector=KAYU", None),
        ("province=6x", None),
    ],
)
def test_a_selection_is_stamped_by_its_province_when_it_lies_in_one(query, province):
    assert stats.province_of(QueryDict(query)) == province
