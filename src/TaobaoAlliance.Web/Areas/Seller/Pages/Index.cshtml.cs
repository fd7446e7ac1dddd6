using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data;
using TaobaoAlliance.Application.Ledger;
using TaobaoAlliance.Application.Reports;
using TaobaoAlliance.Attribution.Reports;
using TaobaoAlliance.Web.Reports;
using TaobaoAlliance.Web.Identity;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Application.Onboarding;
using TaobaoAlliance.Web.Localization;
using TaobaoAlliance.Web.Onboarding;

namespace TaobaoAlliance.Web.Areas.Seller.Pages;

/// <summary>
/// The seller centre's front page: the wallet, what promotion cost today and over 7 days (commission and
/// CPC), what the alliance brought in over 7 days, and the way in to each section. Until a seller has a
/// shop, items, rates or a campaign and a deposit, the first-steps checklist leads (sign-up lands here).
/// </summary>
public sealed class IndexModel(AllianceDbContext db, SellerReport reports, CurrentActor me, LedgerWriter ledger, FirstSteps firstSteps,
    IStringLocalizer<SharedResource> localizer, TimeProvider clock) : PageModel
{
    public Money Balance { get; private set; }
    public Money CommissionOwed { get; private set; }
    public int ShopCount { get; private set; }
    public ReportPeriod Week { get; private set; } = null!;
    public SellerMetrics Today { get; private set; } = SellerMetrics.Zero;
    public SellerMetrics LastSevenDays { get; private set; } = SellerMetrics.Zero;
    public FirstStepsView Steps { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await me.SellerIdAsync(ct) is not { } sellerId) return NotFound();
        Steps = FirstStepsView.Seller(await firstSteps.SellerAsync(sellerId, ct), localizer);
        Balance = await ledger.BalanceAsync(AccountRef.Wallet(sellerId), ct);
        CommissionOwed = -await ledger.BalanceAsync(AccountRef.CommissionDue(sellerId), ct);
        var shopIds = await db.Shops.Where(s => s.SellerId == sellerId).Select(s => s.Id).ToArrayAsync(ct);
        ShopCount = shopIds.Length;
        var today = ChinaTime.Today(clock);
        Week = ReportPeriod.Last(7, today);
        if (ShopCount > 0)
        {
            var report = await reports.MetricsAsync(shopIds, Week, ct);
            LastSevenDays = report.Total;
            Today = report.Days.GetValueOrDefault(today, SellerMetrics.Zero);
        }
        return Page();
    }
}
