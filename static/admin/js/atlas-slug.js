/* Slugs from titles: punctuation separates words instead of vanishing.
 *
 * Django's URLify (admin/js/urlify.js) drops every character that is not a letter, a digit, a
 * space or a hyphen, so "Canada–Korea Track 1.5" became "canadakorea-track-15". Here apostrophes
 * are dropped ("Canada's" → "canadas") and other punctuation becomes a space before URLify runs,
 * which gives "canada-korea-track-1-5". The admin's prepopulated fields call URLify when the
 * title changes, so wrapping it once is enough.
 */
'use strict';
(function() {
    const original = window.URLify;
    if (typeof original !== 'function' || original.atlas) {
        return;
    }
    const wrapped = function(text, numChars, allowUnicode) {
        const spaced = String(text)
            .replace(/['’‘`]/g, '')
            .replace(/[\u2010-\u2015\u2212.,;:!?/\\|+&()[\]{}<>«»"“”·•…_=*#@~^%$]/g, ' ');
        return original(spaced, numChars, allowUnicode);
    };
    wrapped.atlas = true;
    window.URLify = wrapped;
})();
