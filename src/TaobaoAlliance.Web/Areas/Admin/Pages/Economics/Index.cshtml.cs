using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Economics;
using TaobaoAlliance.Application.Reports;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Web.Admin;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Reports;

namespace TaobaoAlliance.Web.Areas.Admin.Pages.Economics;

/// <summary>
/// Traffic economics: for a period of China days (the last 30 by default, at most 366), by day, site, zone or campaign —
/// impressions, paid clicks, bought, sold, margin and margin rate, CPS fee and subsidy cost — with a chart over the
/// period, drill-down from a site to its zones to a zone's campaigns, and the same table as CSV. Read from the rollups only.
/// </summary>
public sealed class IndexModel(TrafficEconomics economics, TimeProvider clock, IStringLocalizer<SharedResource> localizer) : PageModel
{
    private static readonly DateOnly Earliest = new(2000, 1, 1), Latest = new(2099, 12, 31);

    [BindProperty(SupportsGet = true, Name = "from")]
    [Display(Name = "From")]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "to")]
    [Display(Name = "To")]
    public DateOnly? To { get; set; }

    [BindProperty(SupportsGet = true, Name = "group")]
    [Display(Name = "Group by")]
    public EconomicsGrouping Group { get; set; } = EconomicsGrouping.Site;

    [BindProperty(SupportsGet = true, Name = "site")]
    [Display(Name = "Site")]
    public long? SiteId { get; set; }

    [BindProperty(SupportsGet = true, Name = "zone")]
    [Display(Name = "Zone")]
    public long? ZoneId { get; set; }

    public DateOnly Today { get; private set; }
    public EconomicsReport? Report { get; private set; }
    public ReportTable? Table { get; private set; }
    public IHtmlContent Chart { get; private set; } = HtmlString.Empty;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Validate() is { } query)
        {
            Report = await economics.ReadAsync(query, ct);
            Table = EconomicsTable.From(Report, localizer);
            Chart = EconomicsTable.Chart(Report, localizer);
        }
        return Page();
    }

    /// <summary>Exactly the page's table as CSV (400 problem+json when the query is refused).</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        if (Validate() is not { } query)
        {
            return new ObjectResult(new ValidationProblemDetails(ModelState) { Status = 400, Title = localizer["The report period is not valid."] })
            {
                StatusCode = 400,
                ContentTypes = { "application/problem+json" },
            };
        }
        var report = await economics.ReadAsync(query, ct);
        var name = string.Create(CultureInfo.InvariantCulture,
            $"economics-by-{Group.ToString().ToLowerInvariant()}-{query.Period.From:yyyy-MM-dd}-to-{query.Period.To:yyyy-MM-dd}.csv");
        return File(EconomicsTable.From(report, localizer).ToCsv(), "text/csv; charset=utf-8", name);
    }

    /// <summary>The query the page asks for, or null with the reasons in ModelState.</summary>
    private EconomicsQuery? Validate()
    {
        Today = ChinaTime.Today(clock);
        if (!ModelState.IsValid) return null;
        var to = To ?? (From is { } f && f.AddDays(29) < Today ? f.AddDays(29) : Today);
        var from = From ?? to.AddDays(-29);
        (From, To) = (from, to);
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
        return new EconomicsQuery(period, Group, SiteId, ZoneId);
    }

    public static string Format(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
