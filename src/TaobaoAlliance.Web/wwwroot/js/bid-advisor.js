// Seller centre, campaign form (Areas/Seller/Pages/Campaigns/Edit): the bid advisor worked out live, the
// chosen shop's items, and the item search. Without this file the same form works through the server
// (the "Work out the break-even bid" and "Use this bid" buttons post to the Advise handler).
// The arithmetic mirrors TaobaoAlliance.Attribution.Cpc.BidAdvisor, in whole fen with integer steps so
// floating point never moves a fen: break-even rounded down, cost per order rounded half away from zero.
// Every sentence is a template the server rendered in the reader's language (data-t-* attributes).
(function () {
    'use strict';

    var form = document.getElementById('campaign-form');
    var advisor = document.getElementById('bid-advisor');
    if (!form || !advisor) return;

    // ---- Which shop's items are offered -------------------------------------------------------------
    var shopSelect = form.querySelector('[data-shop-select]');
    var search = form.querySelector('[data-item-search]');
    var noneNote = form.querySelector('[data-item-none]');
    var groups = Array.prototype.slice.call(form.querySelectorAll('.campaign-item-group'));

    function filterItems() {
        var shopId = shopSelect ? shopSelect.value : null;
        var query = search ? search.value.trim().toLowerCase() : '';
        var shown = 0;
        groups.forEach(function (group) {
            var active = !shopId || group.dataset.shopId === shopId;
            group.hidden = !active;
            group.querySelectorAll('.campaign-item').forEach(function (row) {
                var input = row.querySelector('input');
                // Items of another shop are not sent at all: the campaign belongs to one shop.
                input.disabled = !active;
                var match = active && (query === '' || row.textContent.toLowerCase().indexOf(query) >= 0);
                // A ticked item stays visible, so a search never hides what will be saved.
                row.hidden = !(match || (active && input.checked));
                if (!row.hidden) shown++;
            });
        });
        if (noneNote) noneNote.hidden = shown > 0;
    }

    if (groups.length > 0) {
        if (search) {
            search.hidden = false;
            search.addEventListener('input', filterItems);
        }
        if (shopSelect) {
            // With one shop on show the shop's name above its items says nothing new.
            form.querySelectorAll('.campaign-item-shop').forEach(function (heading) { heading.hidden = true; });
        }
        filterItems();
    }

    // ---- The advisor -------------------------------------------------------------------------------
    var rateInput = advisor.querySelector('[data-advice="rate"]');
    var profitInput = advisor.querySelector('[data-advice="profit"]');
    var repeatInput = advisor.querySelector('[data-advice="repeat"]');
    var bidInput = form.querySelector('[data-bid-input]');
    var result = advisor.querySelector('[data-advice-result]');
    var breakEvenText = advisor.querySelector('[data-advice-breakeven]');
    var ordersText = advisor.querySelector('[data-advice-orders]');
    var warningText = advisor.querySelector('[data-advice-warning]');
    var ownBidText = advisor.querySelector('[data-advice-own-bid]');
    var useBid = advisor.querySelector('[data-use-bid]');
    var adviseButton = advisor.querySelector('[data-advise-button]');
    var historyNote = advisor.querySelector('[data-history-note]');
    var reserveFen = parseInt(advisor.dataset.reserveFen, 10);
    var maxBidFen = parseInt(advisor.dataset.maxBidFen, 10);

    function fill(template, args) {
        return (template || '').replace(/\{(\d+)\}/g, function (m, i) { return args[parseInt(i, 10)]; });
    }

    function money(fen) {
        return (fen < 0 ? '-¥' : '¥') + (Math.abs(fen) / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }

    // Yuan as typed → whole fen, or null when it is not a number with at most two decimals.
    function fenOf(text) {
        if (!/^\s*\d+(\.\d{0,2})?\s*$/.test(text || '')) return null;
        return Math.round(parseFloat(text) * 100);
    }

    // A percentage as typed → ten-thousandths of a percent (an integer), or null.
    function rateOf(text) {
        if (!/^\s*\d+(\.\d{0,4})?\s*$/.test(text || '')) return null;
        var scaled = Math.round(parseFloat(text) * 10000);
        return scaled > 0 && scaled <= 1000000 ? scaled : null;
    }

    function percentText(scaled) {
        return String(scaled / 10000) + ' %';
    }

    function clicksText(scaled) {
        return (1000000 / scaled).toLocaleString('en-US', { maximumFractionDigits: 1 });
    }

    var current = null;

    function update() {
        var rate = rateOf(rateInput.value);
        var profit = fenOf(profitInput.value);
        var repeat = repeatInput.value.trim() === '' ? 0 : fenOf(repeatInput.value);
        if (rate === null || profit === null || profit <= 0 || repeat === null) {
            current = null;
            result.hidden = true;
            return;
        }
        var breakEven = Math.floor((profit + repeat) * rate / 1000000);
        var bid = fenOf(bidInput ? bidInput.value : '');
        // The sentence prices clicks at the suggested bid (BidAdvice.SuggestedBid), the seller's own bid gets its own line.
        var suggested = Math.min(breakEven, maxBidFen);
        if (bid === null || bid <= 0 || bid > maxBidFen) bid = suggested;
        var costPerOrder = Math.round(suggested * 1000000 / rate);

        breakEvenText.textContent = repeat > 0
            ? fill(advisor.dataset.tBreakevenRepeat, [money(profit), money(repeat), percentText(rate), money(breakEven)])
            : fill(advisor.dataset.tBreakeven, [money(profit), percentText(rate), money(breakEven)]);
        ordersText.textContent = fill(advisor.dataset.tOrders, [percentText(rate), clicksText(rate), money(costPerOrder), money(suggested), money(profit)]);
        if (ownBidText) {
            ownBidText.textContent = bid !== suggested
                ? fill(advisor.dataset.tOwnBid, [money(bid), money(Math.round(bid * 1000000 / rate))])
                : '';
        }
        if (breakEven < reserveFen) {
            warningText.textContent = fill(advisor.dataset.tBelowReserve, [money(reserveFen)]);
        } else if (bid > breakEven) {
            warningText.textContent = fill(advisor.dataset.tAbove, [money(bid)]);
        } else {
            warningText.textContent = '';
        }
        current = Math.min(breakEven, maxBidFen);
        useBid.hidden = breakEven < reserveFen;
        result.hidden = false;
    }

    [rateInput, profitInput, repeatInput, bidInput].forEach(function (input) {
        if (input) input.addEventListener('input', update);
    });

    if (adviseButton) {
        adviseButton.addEventListener('click', function (event) {
            event.preventDefault();
            update();
            if (result.hidden) {
                // Incomplete inputs: let the server say what is missing, next to each field.
                form.requestSubmit ? form.requestSubmit(adviseButton) : form.submit();
            }
        });
    }

    useBid.addEventListener('click', function (event) {
        if (current === null || !bidInput) return; // nothing worked out here: the server does it
        event.preventDefault();
        bidInput.value = (current / 100).toFixed(2);
        update();
        bidInput.focus();
    });

    // A new shop brings its own history: replace the rate only while it is still the prefilled one.
    if (shopSelect) {
        var prefilled = rateInput.value;
        shopSelect.addEventListener('change', function () {
            filterItems();
            var option = shopSelect.options[shopSelect.selectedIndex];
            var rate = option ? option.dataset.conversion || '' : '';
            if (rateInput.value === prefilled) {
                rateInput.value = rate;
                prefilled = rate;
            }
            if (historyNote) historyNote.hidden = true; // it described the previous shop
            update();
        });
    }

    if (!result.hidden || rateInput.value) update();
})();
