"""Public pages of dialogues and themes."""

from django.views.generic import DetailView, ListView

from dialogue import selectors


class DialogueListView(ListView):
    template_name = "dialogue/dialogue_list.html"
    context_object_name = "dialogues"

    def get_queryset(self):
        return selectors.dialogue_list_public()


class DialogueDetailView(DetailView):
    template_name = "dialogue/dialogue_detail.html"
    context_object_name = "dialogue"

    def get_object(self, queryset=None):
        return selectors.dialogue_get_public(slug=self.kwargs["slug"])


class ThemeListView(ListView):
    template_name = "dialogue/theme_list.html"
    context_object_name = "themes"

    def get_queryset(self):
        return selectors.theme_list_public()


class ThemeDetailView(DetailView):
    template_name = "dialogue/theme_detail.html"
    context_object_name = "theme"

    def get_object(self, queryset=None):
        return selectors.theme_get_public(slug=self.kwargs["slug"])
