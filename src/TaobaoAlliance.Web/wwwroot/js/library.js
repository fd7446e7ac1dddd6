// Webmaster centre: copy buttons, and the item library's "Get link" modal.
// Loaded as a file because the CSP allows no inline scripts; every text shown comes from data-* attributes
// the server rendered in the reader's language.
(function () {
    'use strict';

    var status = document.getElementById('copy-status');

    function announce(text) {
        if (status) status.textContent = text;
    }

    function textOf(element) {
        return 'value' in element ? element.value : element.textContent;
    }

    // Shows on the button itself that it worked, then puts its label back.
    function flash(button, text) {
        if (!button.dataset.label) button.dataset.label = button.textContent;
        button.textContent = text;
        window.clearTimeout(button._restore);
        button._restore = window.setTimeout(function () { button.textContent = button.dataset.label; }, 1500);
    }

    // Without the clipboard API (older browsers, or a page not served over HTTPS) the text is selected instead,
    // so one Ctrl+C copies it.
    function selectForManualCopy(element, button) {
        element.focus();
        if (typeof element.select === 'function') {
            element.select();
        } else {
            var range = document.createRange();
            range.selectNodeContents(element);
            var selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }
        var copied = false;
        try { copied = document.execCommand('copy'); } catch (e) { copied = false; }
        if (copied) {
            flash(button, status ? status.dataset.copied : 'Copied');
            announce(status ? status.dataset.copied : 'Copied');
            return;
        }
        // The text stays selected; the status line (read out by screen readers) says how to finish.
        announce(status ? status.dataset.copyFailed : '');
        if (status && status.dataset.copyHint) flash(button, status.dataset.copyHint);
    }

    function copy(button) {
        var element = document.getElementById(button.dataset.copyTarget);
        if (!element) return;
        var text = textOf(element);
        var copied = status ? status.dataset.copied : 'Copied';
        if (navigator.clipboard && window.isSecureContext) {
            navigator.clipboard.writeText(text).then(function () {
                flash(button, copied);
                announce(copied);
            }, function () {
                selectForManualCopy(element, button);
            });
        } else {
            selectForManualCopy(element, button);
        }
    }

    document.addEventListener('click', function (event) {
        var button = event.target.closest('[data-copy-target]');
        if (button) {
            event.preventDefault();
            copy(button);
        }
    });

    // ---- The "Get link" modal of the item library -------------------------------------------------
    var modalElement = document.getElementById('link-modal');
    if (!modalElement || typeof bootstrap === 'undefined') return; // without it, "Get link" opens the Link page

    var form = document.getElementById('link-form');
    var titleElement = modalElement.querySelector('[data-link-modal-title]');
    var itemInput = modalElement.querySelector('[data-link-modal-item]');
    var errorElement = modalElement.querySelector('[data-link-error]');
    var busyElement = modalElement.querySelector('[data-link-busy]');
    var resultElement = modalElement.querySelector('[data-link-result]');
    var zoneSelect = form ? form.querySelector('select[name="zone"]') : null;
    var modal = bootstrap.Modal.getOrCreateInstance(modalElement);
    var zoneKey = 'alliance.library.zone';
    var pending = null;

    function show(element, visible) {
        if (element) element.classList.toggle('d-none', !visible);
    }

    function fill(data) {
        resultElement.querySelectorAll('[data-link-field]').forEach(function (element) {
            var field = element.dataset.linkField;
            if (field === 'qrDownload') {
                element.href = data.qrUrl;
            } else if (field === 'where') {
                element.textContent = data.where;
            } else if (element.tagName === 'IMG') {
                element.src = data[field];
            } else {
                element.value = data[field];
            }
        });
        show(resultElement.querySelector('[data-link-paused]'), data.isPaused);
    }

    function request() {
        if (!form || !itemInput.value) return;
        if (pending) pending.abort();
        pending = new AbortController();
        show(errorElement, false);
        show(resultElement, false);
        show(busyElement, true);
        var token = form.querySelector('input[name="__RequestVerificationToken"]');
        fetch(form.dataset.jsonAction, {
            method: 'POST',
            body: new FormData(form),
            headers: { 'RequestVerificationToken': token ? token.value : '', 'Accept': 'application/json' },
            credentials: 'same-origin',
            signal: pending.signal
        }).then(function (response) {
            return response.json().catch(function () { return {}; }).then(function (body) {
                if (!response.ok) throw new Error(body.detail || body.title || String(response.status));
                return body;
            });
        }).then(function (data) {
            fill(data);
            show(busyElement, false);
            show(resultElement, true);
            if (zoneSelect) {
                try { window.localStorage.setItem(zoneKey, zoneSelect.value); } catch (e) { /* private mode: no memory */ }
            }
        }).catch(function (error) {
            if (error.name === 'AbortError') return;
            show(busyElement, false);
            errorElement.textContent = error.message;
            show(errorElement, true);
        });
    }

    document.addEventListener('click', function (event) {
        var link = event.target.closest('a[data-link-item]');
        // A click with a modifier key opens the Link page in a new tab, as the user asked.
        if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        titleElement.textContent = link.dataset.linkTitle || '';
        show(errorElement, false);
        show(resultElement, false);
        if (itemInput) itemInput.value = link.dataset.linkItem;
        if (zoneSelect) {
            var remembered = null;
            try { remembered = window.localStorage.getItem(zoneKey); } catch (e) { remembered = null; }
            if (remembered && zoneSelect.querySelector('option[value="' + CSS.escape(remembered) + '"]')) zoneSelect.value = remembered;
        }
        modal.show();
        request();
    });

    if (form) {
        form.addEventListener('submit', function (event) {
            event.preventDefault();
            request();
        });
        if (zoneSelect) zoneSelect.addEventListener('change', request);
    }
})();
