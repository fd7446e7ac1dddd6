using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Commissions;
using TaobaoAlliance.Application.Fraud;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Commissions;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Data.Orders;
using TaobaoAlliance.Web.Admin;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Application.Ledger;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Store;
using TaobaoAlliance.Web.Identity;

namespace TaobaoAlliance.Web.Areas.Admin.Pages.Fraud;

/// <summary>
/// Fraud review: invalid clicks counted by reason over today, 7 and 30 days, the latest invalid
/// clicks, and the orders a fraud rule flagged with the attribution note that explains them. A
/// commission found to be fraudulent can be voided here (or on the order's page), and so can paid CPC clicks — one, or
/// by site, IP hash or time range — after a preview of how many and how much (<see cref="CpcClickVoider"/>).
/// </summary>
public sealed class IndexModel(AllianceDbContext db, CommissionVoider voider, CpcClickVoider cpcVoider, TimeProvider clock,
    IStringLocalizer<SharedResource> localizer) : PageModel
{
    /// <summary>The paid clicks an admin selects to void, as typed (times in China wall-clock time, the IP hash in hex).</summary>
    public sealed class CpcVoidInput
    {
        public long? ChargeId { get; set; }
        public long? SiteId { get; set; }
        public string? IpHash { get; set; }
        public string? From { get; set; }
        public string? To { get; set; }
    }

    /// <summary>The preview the admin confirms: the void is refused if the selection would now move anything else.</summary>
    public sealed class CpcVoidExpected
    {
        public int Clicks { get; set; }
        public long PriceFen { get; set; }
        public long ShareFen { get; set; }
        public int Held { get; set; }
        public long ClawedBackFen { get; set; }
    }

    [BindProperty] public CpcVoidInput Cpc { get; set; } = new();

    /// <summary>What voiding <see cref="Cpc"/> would move, after a preview; the confirm form is shown with it.</summary>
    public CpcVoidPreview? CpcPreview { get; private set; }

    public async Task<IActionResult> OnPostPreviewClicksAsync(CancellationToken ct)
    {
        if (Selection() is { } selection)
        {
            var outcome = await cpcVoider.PreviewAsync(selection, ct);
            if (outcome.Succeeded) CpcPreview = outcome.Result;
            else ModelState.AddModelError("", CpcVoidMessages.Refused(outcome, localizer));
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostVoidClicksAsync(string? reason, CpcVoidExpected expected, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (Selection() is { } selection)
        {
            var price = new Money(expected.PriceFen);
            var share = new Money(expected.ShareFen);
            var confirmed = new CpcVoidPreview(expected.Clicks, price, share, price - share, expected.Held, expected.Clicks - expected.Held,
                new Money(expected.ClawedBackFen));
            var outcome = await cpcVoider.VoidAsync(selection, User.UserId(), reason, confirmed, ct);
            if (outcome.Succeeded)
            {
                Message = localizer["{0} paid clicks are voided: {1} went back to the sellers' wallets.", outcome.Result!.Clicks, outcome.Result.Price];
                return RedirectToPage();
            }
            ModelState.AddModelError("", CpcVoidMessages.Refused(outcome, localizer));
            // A changed selection is previewed again, so the admin sees what a void would now move.
            if (outcome.Refusal is CpcVoidRefusal.ReasonRequired or CpcVoidRefusal.ReasonTooLong) CpcPreview = confirmed;
            else if (outcome.Refusal == CpcVoidRefusal.SelectionChanged) CpcPreview = (await cpcVoider.PreviewAsync(selection, ct)).Result;
        }
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>The typed selection, or null (with a form message) when a field is not what it should be.</summary>
    private CpcVoidSelection? Selection()
    {
        if (!ModelState.IsValid) return null; // a non-number id: the binder's message is already there
        byte[]? ipHash = null;
        if (!string.IsNullOrWhiteSpace(Cpc.IpHash))
        {
            var hex = Cpc.IpHash.Trim();
            if (hex.Length % 2 != 0 || hex.Length > 128 || !hex.All(Uri.IsHexDigit))
            {
                ModelState.AddModelError("Cpc.IpHash", localizer["The IP hash is written in hexadecimal (0-9, a-f), as the click shows it."]);
                return null;
            }
            ipHash = Convert.FromHexString(hex);
        }
        DateTimeOffset? Time(string? text, string field)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            var at = ChinaTime.ParseLocalInput(text);
            if (at is null) ModelState.AddModelError(field, localizer["Enter a date and time (China time), such as 2026-11-01 08:00."]);
            return at;
        }
        var from = Time(Cpc.From, "Cpc.From");
        var to = Time(Cpc.To, "Cpc.To");
        if (!ModelState.IsValid) return null;
        return new CpcVoidSelection(Cpc.ChargeId, Cpc.SiteId, ipHash, from, to);
    }

    public const int LatestClicks = 50;
    public const int LatestFlaggedOrders = 50;

    public sealed record ReasonCounts(string Reason, int Today, int Week, int Month);

    public sealed record InvalidClickView(Guid Id, DateTimeOffset At, long SiteId, string SiteName, string? Reason, string? UserAgent);

    public sealed record CommissionView(long Id, CommissionState State, Money Commission, Money Webmaster);

    public sealed record FlaggedOrderView(long Id, string ExternalOrderId, string ShopName, OrderState State, DateTimeOffset PaidAt, Money Paid,
        string Flag, string AttributionNote, IReadOnlyList<CommissionView> Commissions);

    [TempData] public string? Message { get; set; }

    public IReadOnlyList<AdminPeriod> Periods { get; private set; } = [];
    public IReadOnlyList<ReasonCounts> Reasons { get; private set; } = [];
    public ReasonCounts ValidClicks { get; private set; } = new("", 0, 0, 0);
    public IReadOnlyList<InvalidClickView> Clicks { get; private set; } = [];
    public IReadOnlyList<FlaggedOrderView> FlaggedOrders { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostVoidAsync(long commissionId, string? reason, CancellationToken ct)
    {
        var outcome = await voider.VoidAsync(commissionId, User.UserId(), reason, ct);
        if (!outcome.Succeeded)
        {
            ModelState.AddModelError("", VoidMessages.Refused(outcome, localizer, commissionId));
            await LoadAsync(ct);
            return Page();
        }
        Message = localizer["Commission {0} is voided and its money moved back.", commissionId];
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        Periods = AdminPeriods.Standard(now);
        DateTimeOffset today = Periods[0].From, week = Periods[1].From, month = Periods[2].From;

        // Counts from the day rollup by outcome (an empty reason is a valid click): the periods are whole China days
        // up to now, and no click is stamped after now.
        var (monthDay, weekDay, todayDay) = (ChinaTime.DayOf(month), ChinaTime.DayOf(week), ChinaTime.DayOf(today));
        var counts = await db.ClickDayReasons.Where(r => r.Day >= monthDay && r.Day <= todayDay)
            .GroupBy(r => r.Reason)
            .Select(g => new
            {
                Reason = g.Key,
                Today = g.Where(r => r.Day >= todayDay).Sum(r => r.Clicks),
                Week = g.Where(r => r.Day >= weekDay).Sum(r => r.Clicks),
                Month = g.Sum(r => r.Clicks),
            })
            .ToListAsync(ct);
        Reasons = counts.Where(c => c.Reason != "")
            .Select(c => new ReasonCounts(c.Reason, (int)c.Today, (int)c.Week, (int)c.Month))
            .OrderByDescending(c => c.Month).ThenBy(c => c.Reason, StringComparer.Ordinal).ToList();
        ValidClicks = counts.Where(c => c.Reason == "").Select(c => new ReasonCounts("", (int)c.Today, (int)c.Week, (int)c.Month)).SingleOrDefault()
            ?? new ReasonCounts("", 0, 0, 0);

        // The latest invalid clicks are read raw, newest first from the partial index of invalid clicks
        // (ix_clicks_occurred_at_invalid, migration CustomerRollups), over today's partition first and wider windows only
        // while fewer than 50 are found: any 50 newest of a window that reaches now are the 50 newest of all, and the
        // scan opens only that window's day partitions.
        foreach (var days in (int?[])[1, 8, 64, null])
        {
            var invalid = db.Clicks.AsNoTracking().Where(c => !c.IsValid && c.OccurredAt <= now);
            if (days is { } d)
            {
                var since = ChinaTime.StartOf(todayDay.AddDays(1 - d));
                invalid = invalid.Where(c => c.OccurredAt >= since);
            }
            Clicks = await invalid
                .OrderByDescending(c => c.OccurredAt).ThenByDescending(c => c.Id)
                .Take(LatestClicks)
                .Select(c => new InvalidClickView(c.Id, c.OccurredAt, c.SiteId,
                    db.Sites.Where(s => s.Id == c.SiteId).Select(s => s.Name).FirstOrDefault() ?? "", c.InvalidReason, c.UserAgent))
                .ToListAsync(ct);
            if (Clicks.Count == LatestClicks) break;
        }

        var orders = await db.Orders.AsNoTracking().Where(o => o.FraudFlag != null)
            .OrderByDescending(o => o.PaidAt).ThenByDescending(o => o.Id)
            .Take(LatestFlaggedOrders)
            .Select(o => new
            {
                o.Id, o.ExternalOrderId, ShopName = o.Shop.NameEn, ShopNameZh = o.Shop.NameZh, o.State, o.PaidAt, o.FraudFlag, o.AttributionNote, o.AttributionPhrases,
                PaidFen = o.Lines.Sum(l => (decimal)(l.PaidFen - l.RefundedFen)), // numeric: a bigint sum can overflow
            })
            .ToListAsync(ct);
        var orderIds = orders.Select(o => o.Id).ToList();
        var commissions = (await db.Commissions.AsNoTracking().Where(c => orderIds.Contains(c.OrderId)).OrderBy(c => c.Id).ToListAsync(ct))
            .ToLookup(c => c.OrderId, c =>
            {
                var effective = c.Effective();
                return new CommissionView(c.Id, c.State, effective.Commission, effective.WebmasterTotal);
            });
        var chinese = System.Globalization.CultureInfo.CurrentUICulture.IsChinese();
        FlaggedOrders = orders.Select(o => new FlaggedOrderView(o.Id, o.ExternalOrderId, chinese ? o.ShopNameZh : o.ShopName, o.State, o.PaidAt,
            Money.OfSum(o.PaidFen), o.FraudFlag!, PhraseText.Render(o.AttributionPhrases, o.AttributionNote, localizer),
            commissions[o.Id].ToList())).ToList();
    }
}
