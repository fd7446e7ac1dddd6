using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Cpc;
using TaobaoAlliance.Application.Campaigns;
using TaobaoAlliance.Application.Ledger;
using TaobaoAlliance.Web.Identity;
using TaobaoAlliance.Web.Localization;

namespace TaobaoAlliance.Web.Areas.Seller.Pages.Campaigns;

/// <summary>
/// The seller's CPC campaigns across all their shops: bid, budget, today's spend against it, traffic and
/// schedule, with pause and resume. Another seller's campaign is not found.
/// </summary>
public sealed class IndexModel(
    AllianceDbContext db,
    CurrentActor me,
    CampaignEditor editor,
    LedgerWriter ledger,
    TimeProvider clock,
    IStringLocalizer<SharedResource> localizer) : PageModel
{
    /// <summary>Where a campaign stands in its schedule right now, whatever its state.</summary>
    public enum Timing { Scheduled, Running, Ended }

    public sealed record CampaignRow(long Id, string Name, long ShopId, string ShopName, CampaignState State, Money Bid, Money DailyBudget,
        Money SpentToday, Money BudgetToday, int ClicksToday, long Impressions, long Clicks, DateTimeOffset StartsAt, DateTimeOffset? EndsAt, int ItemCount)
    {
        /// <summary>Click-through rate in percent; null before the first impression.</summary>
        public decimal? CtrPercent => Impressions == 0 ? null : Math.Round(Clicks * 100m / Impressions, 2, MidpointRounding.AwayFromZero);

        /// <summary>Today's spend as a whole percentage of today's budget, for the progress bar's label.</summary>
        public int SpentPercent => BudgetToday.Fen <= 0 ? 0 : (int)Math.Min(100, SpentToday.Fen * 100 / BudgetToday.Fen);

        public Timing TimingAt(DateTimeOffset now) => now < StartsAt ? Timing.Scheduled : EndsAt is { } end && now >= end ? Timing.Ended : Timing.Running;
    }

    public IReadOnlyList<CampaignRow> Campaigns { get; private set; } = [];

    public int ShopCount { get; private set; }

    public Money WalletBalance { get; private set; }

    public DateTimeOffset Now { get; private set; }

    [TempData(Key = "CampaignMessage")] public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await me.SellerIdAsync(ct) is not { } sellerId) return NotFound();
        Now = clock.GetUtcNow();
        var today = ChinaTime.Today(clock);
        var zh = CultureInfo.CurrentUICulture.IsChinese();
        ShopCount = await db.Shops.CountAsync(s => s.SellerId == sellerId, ct);
        var rows = await db.Campaigns.AsNoTracking().Where(c => c.Shop.SellerId == sellerId)
            .OrderByDescending(c => c.State == CampaignState.Active).ThenByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
            .Select(c => new
            {
                c.Id, c.Name, c.ShopId, ShopName = zh ? c.Shop.NameZh : c.Shop.NameEn, c.State, c.BidFen, c.DailyBudgetFen,
                Today = db.CampaignDailySpends.Where(s => s.CampaignId == c.Id && s.Day == today)
                    .Select(s => new { s.SpentFen, s.BudgetFen, s.Clicks }).FirstOrDefault(),
                c.Impressions, c.Clicks, c.StartsAt, c.EndsAt, ItemCount = c.Items.Count,
            })
            .ToListAsync(ct);
        Campaigns = [.. rows.Select(c => new CampaignRow(c.Id, c.Name, c.ShopId, c.ShopName, c.State, new Money(c.BidFen), new Money(c.DailyBudgetFen),
            new Money(c.Today?.SpentFen ?? 0), new Money(c.Today?.BudgetFen ?? c.DailyBudgetFen), c.Today?.Clicks ?? 0,
            c.Impressions, c.Clicks, c.StartsAt, c.EndsAt, c.ItemCount))];
        WalletBalance = await ledger.BalanceAsync(AccountRef.Wallet(sellerId), ct);
        return Page();
    }

    public Task<IActionResult> OnPostPauseAsync(long id, CancellationToken ct) => SetStateAsync(id, CampaignState.Paused, ct);

    public Task<IActionResult> OnPostResumeAsync(long id, CancellationToken ct) => SetStateAsync(id, CampaignState.Active, ct);

    private async Task<IActionResult> SetStateAsync(long id, CampaignState state, CancellationToken ct)
    {
        if (await me.SellerIdAsync(ct) is not { } sellerId) return NotFound();
        if (await editor.SetStateAsync(sellerId, me.UserId, id, state, ct) is not { } campaign) return NotFound();
        Message = state == CampaignState.Paused
            ? localizer["Campaign “{0}” paused: it is no longer shown.", campaign.Name].Value
            : localizer["Campaign “{0}” resumed: it competes for smart zones again.", campaign.Name].Value;
        return RedirectToPage();
    }
}
