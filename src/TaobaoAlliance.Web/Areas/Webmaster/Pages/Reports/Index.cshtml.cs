using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Application.Reports;
using TaobaoAlliance.Web.Reports;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Clicks;

namespace TaobaoAlliance.Web.Areas.Webmaster.Pages.Reports;

/// <summary>
/// The webmaster's report: a period of China days (the last 30 by default, at most 366) grouped by
/// day, site, zone or item, the 30-day chart, and the same table as a CSV file. Only the signed-in
/// webmaster's clicks, orders and commissions are ever read.
/// </summary>
public sealed class IndexModel(WebmasterReport report, CurrentActor me, TimeProvider clock, IStringLocalizer<SharedResource> localizer) : PageModel
{
    /// <summary>Dates outside these are typing mistakes, and would overflow the time arithmetic near year 1 or 9999.</summary>
    private static readonly DateOnly Earliest = new(2000, 1, 1), Latest = new(2099, 12, 31);

    [BindProperty(SupportsGet = true, Name = "from")]
    [Display(Name = "From")]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "to")]
    [Display(Name = "To")]
    public DateOnly? To { get; set; }

    [BindProperty(SupportsGet = true, Name = "group")]
    [Display(Name = "Group by")]
    public ReportGrouping Group { get; set; } = ReportGrouping.Day;

    /// <summary>Only the clicks and sales with this sub1 (with the day, site and sub-id groupings).</summary>
    [BindProperty(SupportsGet = true, Name = "sub1")]
    [Display(Name = "Only sub1")]
    public string? Sub1 { get; set; }

    public DateOnly Today { get; private set; }

    /// <summary>The period shown; null when the form's dates were refused.</summary>
    public ReportPeriod? Period { get; private set; }

    public ReportTable? Table { get; private set; }

    /// <summary>The period's invalid clicks by reason (the reason rollup has no sub-ids: empty with a sub1 filter).</summary>
    public IReadOnlyList<InvalidClickCount> InvalidReasons { get; private set; } = [];
    public IHtmlContent Chart { get; private set; } = HtmlString.Empty;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await me.WebmasterIdAsync(ct) is not { } webmasterId) return NotFound();
        Period = Validate();
        var last30 = ReportPeriod.Last(30, Today);
        var daily = await report.DailyAsync(webmasterId, last30, ct);
        Chart = DailyChart.Render(daily, localizer);
        if (Period is not null)
        {
            var rows = Period == last30 && Group == ReportGrouping.Day && Sub1 is null
                ? [.. daily.Where(d => !d.Metrics.IsEmpty).Reverse()]
                : await RowsAsync(webmasterId, Period, ct);
            Table = ReportTable.From(Group, rows, localizer);
            if (Sub1 is null) InvalidReasons = await report.InvalidReasonsAsync(webmasterId, Period, ct);
        }
        return Page();
    }

    /// <summary>The table of the same query as a CSV download (400 problem+json when the period is refused).</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        if (await me.WebmasterIdAsync(ct) is not { } webmasterId) return NotFound();
        if (Validate() is not { } period)
        {
            return new ObjectResult(new ValidationProblemDetails(ModelState) { Status = 400, Title = localizer["The report period is not valid."] })
            {
                StatusCode = 400,
                ContentTypes = { "application/problem+json" },
            };
        }
        var rows = await RowsAsync(webmasterId, period, ct);
        var table = ReportTable.From(Group, rows, localizer);
        var name = string.Create(CultureInfo.InvariantCulture,
            $"report-by-{Group.ToString().ToLowerInvariant()}-{period.From:yyyy-MM-dd}-to-{period.To:yyyy-MM-dd}.csv");
        return File(table.ToCsv(), "text/csv; charset=utf-8", name);
    }

    private Task<IReadOnlyList<ReportRow>> RowsAsync(long webmasterId, ReportPeriod period, CancellationToken ct) => Sub1 is { } sub1
        ? report.SubRowsAsync(webmasterId, period, Group, sub1, ct)
        : report.RowsAsync(webmasterId, period, Group, CultureInfo.CurrentUICulture.IsChinese(), ct);

    /// <summary>The period the query asks for, or null with the reasons in ModelState.</summary>
    private ReportPeriod? Validate()
    {
        Today = ChinaTime.Today(clock);
        if (!ModelState.IsValid) return null; // a date or grouping that did not parse
        var to = To ?? (From is { } f && f.AddDays(29) < Today ? f.AddDays(29) : Today);
        var from = From ?? to.AddDays(-29);
        From = from;
        To = to;
        if (from < Earliest || to > Latest)
        {
            ModelState.AddModelError(nameof(From), localizer["Choose dates between {0} and {1}.", Format(Earliest), Format(Latest)]);
            return null;
        }
        if (from > to)
        {
            ModelState.AddModelError(nameof(To), localizer["The end date must be on or after the start date."]);
            return null;
        }
        var period = new ReportPeriod(from, to);
        if (period.Days > ReportPeriod.MaxDays)
        {
            ModelState.AddModelError(nameof(To), localizer["A report covers at most {0} days; this period has {1}.", ReportPeriod.MaxDays, period.Days]);
            return null;
        }
        Sub1 = string.IsNullOrEmpty(Sub1) ? null : Sub1;
        if (!SubIds.IsAcceptable(Sub1))
        {
            ModelState.AddModelError(nameof(Sub1), localizer["A sub-id is printable text of at most {0} characters.", SubIds.MaxLength]);
            return null;
        }
        if (Sub1 is not null && Group is ReportGrouping.Zone or ReportGrouping.Item)
        {
            ModelState.AddModelError(nameof(Sub1), localizer["Only sub1 works with the day, site and sub-id groupings."]);
            return null;
        }
        return period;
    }

    public static string Format(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
