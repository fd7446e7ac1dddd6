using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Application.Reports;
using TaobaoAlliance.Web.Reports;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Application.Onboarding;
using TaobaoAlliance.Web.Onboarding;

namespace TaobaoAlliance.Web.Areas.Webmaster.Pages;

/// <summary>
/// The webmaster's dashboard: today, the last 7 and the last 30 days at a glance (China days, today
/// included), the balance, the 30-day chart and the ways on to sites, the library and the reports; a new
/// webmaster also sees the first-steps checklist (sign-up lands here).
/// </summary>
public sealed class IndexModel(WebmasterReport report, CurrentActor me, WebmasterAccounts accounts, FirstSteps firstSteps, TimeProvider clock,
    IStringLocalizer<SharedResource> localizer)
    : PageModel
{
    /// <summary>One column of the dashboard: a named run of days and its numbers.</summary>
    public sealed record Window(string Id, string Title, ReportPeriod Period, ReportMetrics Metrics);

    public IReadOnlyList<Window> Windows { get; private set; } = [];
    public WebmasterBalances Balances { get; private set; } = new(default, default, default, default);

    /// <summary>The soonest pending commission expected to settle, or null when nothing is pending.</summary>
    public CommissionSettlement? NextSettlement { get; private set; }
    public IHtmlContent Chart { get; private set; } = HtmlString.Empty;
    public ReportPeriod Last30 { get; private set; } = null!;

    /// <summary>The way to a first commission, until every step is done.</summary>
    public FirstStepsView Steps { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await me.WebmasterIdAsync(ct) is not { } webmasterId) return NotFound();
        Steps = FirstStepsView.Webmaster(await firstSteps.WebmasterAsync(webmasterId, ct), localizer);
        var today = ChinaTime.Today(clock);
        Last30 = ReportPeriod.Last(30, today);
        // One query for the 30 days; the shorter windows are the tail of the same days.
        var daily = await report.DailyAsync(webmasterId, Last30, ct);
        Window Of(string id, string title, int days)
        {
            var period = ReportPeriod.Last(days, today);
            return new(id, title, period, ReportMetrics.Sum(daily.Where(d => d.Day >= period.From).Select(d => d.Metrics)));
        }
        Windows = [Of("today", localizer["Today"], 1), Of("last-7-days", localizer["Last 7 days"], 7), Of("last-30-days", localizer["Last 30 days"], 30)];
        Balances = await accounts.BalancesAsync(webmasterId, ct);
        var settlements = await accounts.CommissionSettlementsAsync(webmasterId, ct);
        NextSettlement = settlements.Count > 0 ? settlements[0] : null;
        Chart = DailyChart.Render(daily, localizer);
        return Page();
    }
}
