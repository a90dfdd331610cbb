import pytest

from geocases.areas.selectors import district_union
from tests.factories import DistrictFactory, square

pytestmark = pytest.mark.django_db


def test_union_of_neighbouring_districts_is_one_multipolygon():
    DistrictFactory(code="a", geometry=square(18.00, 59.30))
    DistrictFactory(code="b", geometry=square(18.01, 59.30))
    union = district_union(codes=["a", "b"])
    assert union.geom_type == "MultiPolygon"
    assert len(union) == 1
    assert union.area == pytest.approx(2 * 0.01 * 0.01)


def test_selection_by_position():
    DistrictFactory(code="north", geometry=square(18.00, 59.40))
    DistrictFactory(code="south", geometry=square(18.00, 59.20))
    assert district_union(north_of=59.3).equals(square(18.00, 59.40))
    assert district_union(south_of=59.3).equals(square(18.00, 59.20))


def test_empty_selection_is_an_error():
    DistrictFactory(code="a")
    with pytest.raises(ValueError, match="no district matches"):
        district_union(codes=["nowhere"])
