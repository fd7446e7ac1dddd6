using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Reports;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Reports;
using TaobaoAlliance.Data;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Reports;

namespace TaobaoAlliance.Web.Areas.Seller.Pages.Reports;

/// <summary>
/// The seller's report: spend (commission and CPC), alliance orders, GMV, refunds, ROI and new vs
/// returning customers over the last 7, 30 or 90 China days, for all the seller's shops or one; the
/// per-day table as CSV; and the cohort table of the last 12 months. Only the seller's own shops are read.
/// </summary>
public sealed class IndexModel(AllianceDbContext db, SellerReport reports, CurrentActor me, TimeProvider clock, IStringLocalizer<SharedResource> localizer) : PageModel
{
    public static readonly int[] Periods = [7, 30, 90];
    public const int CohortMonths = 12;

    public sealed record ShopOption(long Id, string Name);

    [BindProperty(SupportsGet = true, Name = "days")] public int Days { get; set; } = 30;
    [BindProperty(SupportsGet = true, Name = "shop")] public long? ShopId { get; set; }

    public IReadOnlyList<ShopOption> Shops { get; private set; } = [];
    public ReportPeriod? Period { get; private set; }
    public SellerReportResult? Report { get; private set; }
    public ReportTable? Table { get; private set; }
    public IReadOnlyList<CohortRow> Cohorts { get; private set; } = [];
    public int CohortColumns => Cohorts.Count == 0 ? 0 : Cohorts.Max(c => c.Revenue.Count);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await ShopIdsAsync(ct) is not { } shopIds) return NotFound();
        if (ValidPeriod() is not { } period) return Page();
        Period = period;
        Report = await reports.MetricsAsync(shopIds, period, ct);
        Table = SellerReportTable.From(Report, localizer);
        var current = SellerReportMath.MonthKey(ChinaTime.Today(clock));
        Cohorts = await reports.CohortsAsync(shopIds, current - (CohortMonths - 1), current, ct);
        return Page();
    }

    /// <summary>Exactly the per-day table of the page, as a CSV file (400 problem+json for a period that is not offered).</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        if (await ShopIdsAsync(ct) is not { } shopIds) return NotFound();
        if (ValidPeriod() is not { } period)
        {
            return new ObjectResult(new ValidationProblemDetails(ModelState) { Status = 400, Title = localizer["The report period is not valid."] })
            {
                StatusCode = 400,
                ContentTypes = { "application/problem+json" },
            };
        }
        var table = SellerReportTable.From(await reports.MetricsAsync(shopIds, period, ct), localizer);
        var name = string.Create(CultureInfo.InvariantCulture,
            $"seller-report-{(ShopId is { } s ? $"shop-{s}-" : "")}{period.From:yyyy-MM-dd}-to-{period.To:yyyy-MM-dd}.csv");
        return File(table.ToCsv(), "text/csv; charset=utf-8", name);
    }

    /// <summary>The shops the report covers: all of the seller's, or the one chosen if it is theirs; null → 404.</summary>
    private async Task<long[]?> ShopIdsAsync(CancellationToken ct)
    {
        if (await me.SellerIdAsync(ct) is not { } sellerId) return null;
        var zh = CultureInfo.CurrentUICulture.IsChinese();
        Shops = await db.Shops.AsNoTracking().Where(s => s.SellerId == sellerId).OrderBy(s => s.Id)
            .Select(s => new ShopOption(s.Id, zh || s.NameEn == "" ? s.NameZh : s.NameEn)).ToListAsync(ct);
        if (ShopId is not { } chosen) return [.. Shops.Select(s => s.Id)];
        return Shops.Any(s => s.Id == chosen) ? [chosen] : null;
    }

    private ReportPeriod? ValidPeriod()
    {
        if (!ModelState.IsValid || !Periods.Contains(Days))
        {
            ModelState.Clear();
            ModelState.AddModelError("days", localizer["Choose the last 7, 30 or 90 days."]);
            return null;
        }
        return ReportPeriod.Last(Days, ChinaTime.Today(clock));
    }

    public static string Format(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
