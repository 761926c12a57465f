/* Long choice lists (countries) as a select with search: the admin's own select2, without AJAX. */
'use strict';
{
    const $ = django.jQuery;
    const init = function(root) {
        $(root).find('select.atlas-searchable').not('[name*="__prefix__"]').each(function() {
            if (!$(this).data('select2')) {
                $(this).select2({width: 'element', allowClear: !this.multiple && !this.required, placeholder: ''});
            }
        });
    };
    $(function() { init(document); });
    document.addEventListener('formset:added', function(event) { init(event.target); });
}
