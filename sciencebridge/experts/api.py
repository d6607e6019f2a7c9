"""REST endpoints of the expert database: the same restrictions as the pages (selectors.visible_experts)."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets

from sciencebridge.api.views import CodeFilter, SearchTextFilter

from .models import ExpertProfile, ExpertStatus, Publication
from .selectors import ranked_expert_ids, search_experts, search_page_rows


class PublicationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Publication
        fields = ["id", "title", "abstract", "year", "venue", "coauthors", "doi"]


class ExpertSerializer(serializers.ModelSerializer):
    institution = serializers.SlugRelatedField(slug_field="code", read_only=True)
    discipline_codes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    publications = PublicationSerializer(many=True, read_only=True)

    class Meta:
        model = ExpertProfile
        fields = [
            "id",
            "name_en",
            "name_zh",
            "region",
            "institution",
            "department",
            "title",
            "discipline_codes",
            "keywords",
            "languages",
            "orcid",
            "status",
            "publications",
        ]


class ExpertFilter(filters.FilterSet):
    q = SearchTextFilter(
        method="noop", help_text="Full-text search over names, keywords and publications."
    )
    discipline = CodeFilter(method="noop", help_text="Discipline code or its prefix, e.g. F01.")
    region = filters.ChoiceFilter(
        choices=ExpertProfile._meta.get_field("region").choices, method="noop"
    )
    institution = CodeFilter(field_name="institution__code")
    status = filters.ChoiceFilter(choices=ExpertStatus.choices, method="noop")

    class Meta:
        model = ExpertProfile
        fields = ["q", "discipline", "region", "institution", "status"]

    def noop(self, queryset, name, value):  # applied by the selector in get_queryset
        return queryset


#: The API's filters and the names ``search_experts`` gives them.
_SELECTOR_FILTERS = {
    "q": "q",
    "discipline": "discipline",
    "region": "region",
    "status": "status",
    "institution": "institution_code",
}


@extend_schema(
    description="Experts the caller may see: officers and the secretariat search the database "
    "(officers: admitted experts only); an expert sees their own profile."
)
class ExpertViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ExpertSerializer
    filterset_class = ExpertFilter

    def get_queryset(self):
        return search_experts(self.request.user, **self._filters()).prefetch_related("publications")

    def _filters(self) -> dict:
        form = ExpertFilter(self.request.query_params).form
        params = form.cleaned_data if form.is_valid() else {}
        return {_SELECTOR_FILTERS[k]: v for k, v in params.items() if k in _SELECTOR_FILTERS and v}

    def list(self, request, *args, **kwargs):
        """A page of the search's kept order (``ranked_expert_ids``); only the page's rows are read."""
        self.filter_queryset(ExpertProfile.objects.none())  # a 400 for invalid parameters
        filters = self._filters()
        page = self.paginate_queryset(ranked_expert_ids(request.user, **filters))
        rows = search_page_rows(request.user, page, filters, publications=True)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


def register(router):
    router.register("experts", ExpertViewSet, basename="expert")
