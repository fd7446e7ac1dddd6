// Seller centre, money pages: the copy button of a new Orders API secret, and a confirmation before a
// rotation (which breaks the store's current key at once). A file, because the CSP allows no inline scripts;
// the texts come from data-* attributes the server rendered in the reader's language.
(function () {
    'use strict';

    var status = document.getElementById('copy-status');

    function say(text) {
        if (status) status.textContent = text;
    }

    document.addEventListener('click', function (event) {
        var button = event.target.closest('[data-copy-target]');
        if (!button) return;
        var field = document.getElementById(button.dataset.copyTarget);
        if (!field) return;
        var copied = status ? status.dataset.copied : 'Copied';
        var manual = function () {
            // Without the clipboard API (plain HTTP, older browsers) the text is selected for Ctrl+C.
            field.focus();
            field.select();
            var ok = false;
            try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
            say(ok ? copied : (status ? status.dataset.copyFailed : ''));
        };
        if (navigator.clipboard && window.isSecureContext) {
            navigator.clipboard.writeText(field.value).then(function () { say(copied); }, manual);
        } else {
            manual();
        }
    });

    document.addEventListener('submit', function (event) {
        var button = event.submitter || event.target.querySelector('[data-confirm]');
        if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) event.preventDefault();
    });
})();
