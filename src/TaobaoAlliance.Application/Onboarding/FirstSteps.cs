using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data;

namespace TaobaoAlliance.Application.Onboarding;

/// <summary>A webmaster's way to a first commission, in order.</summary>
public enum WebmasterStep { SiteRegistered, SiteVerified, SiteApproved, FirstLink, FirstClick, FirstEarning }

/// <summary>A seller's way to a first promoted sale, in order.</summary>
public enum SellerStep { ShopCreated, ItemsListed, PromotionSet, WalletFunded }

/// <summary>One step of a checklist and whether the account's real state has it done.</summary>
public sealed record FirstStep<TStep>(TStep Step, bool Done) where TStep : struct, Enum;

/// <summary>
/// The first-steps checklists of the webmaster and seller centres. Each step is ticked from what the account really
/// has (a site, a verification, an admin's approval, a link, a valid click in the rollups, an earning; a shop, items,
/// rates or a campaign, a deposit in the ledger), never from a flag someone sets, so it cannot say done when it is not.
/// One query of EXISTS tests per checklist, each on an indexed owner column.
/// </summary>
public sealed class FirstSteps(AllianceDbContext db)
{
    public async Task<IReadOnlyList<FirstStep<WebmasterStep>>> WebmasterAsync(long webmasterId, CancellationToken ct = default)
    {
        var row = await db.Database.SqlQuery<WebmasterRow>($"""
            SELECT EXISTS (SELECT 1 FROM sites WHERE webmaster_id = {webmasterId}) AS site_registered,
                   EXISTS (SELECT 1 FROM sites WHERE webmaster_id = {webmasterId} AND verified_at IS NOT NULL) AS site_verified,
                   EXISTS (SELECT 1 FROM sites WHERE webmaster_id = {webmasterId} AND state = 'Approved') AS site_approved,
                   EXISTS (SELECT 1 FROM links WHERE webmaster_id = {webmasterId}) AS first_link,
                   EXISTS (SELECT 1 FROM click_day_sites WHERE webmaster_id = {webmasterId} AND valid > 0) AS first_click,
                   EXISTS (SELECT 1 FROM commission_day_webmasters WHERE webmaster_id = {webmasterId})
                   OR EXISTS (SELECT 1 FROM cpc_charges WHERE webmaster_id = {webmasterId} AND webmaster_share_fen > 0) AS first_earning
            """).SingleAsync(ct);
        return
        [
            new(WebmasterStep.SiteRegistered, row.SiteRegistered),
            new(WebmasterStep.SiteVerified, row.SiteVerified),
            new(WebmasterStep.SiteApproved, row.SiteApproved),
            new(WebmasterStep.FirstLink, row.FirstLink),
            new(WebmasterStep.FirstClick, row.FirstClick),
            new(WebmasterStep.FirstEarning, row.FirstEarning),
        ];
    }

    public async Task<IReadOnlyList<FirstStep<SellerStep>>> SellerAsync(long sellerId, CancellationToken ct = default)
    {
        var row = await db.Database.SqlQuery<SellerRow>($"""
            SELECT EXISTS (SELECT 1 FROM shops WHERE seller_id = {sellerId}) AS shop_created,
                   EXISTS (SELECT 1 FROM items i JOIN shops s ON s.id = i.shop_id WHERE s.seller_id = {sellerId}) AS items_listed,
                   EXISTS (SELECT 1 FROM items i JOIN shops s ON s.id = i.shop_id WHERE s.seller_id = {sellerId} AND i.commission_rate_bp IS NOT NULL)
                   OR EXISTS (SELECT 1 FROM targeted_plans p JOIN shops s ON s.id = p.shop_id WHERE s.seller_id = {sellerId})
                   OR EXISTS (SELECT 1 FROM campaigns c JOIN shops s ON s.id = c.shop_id WHERE s.seller_id = {sellerId}) AS promotion_set,
                   EXISTS (SELECT 1 FROM journal_lines l JOIN ledger_accounts a ON a.id = l.account_id JOIN journal_entries e ON e.id = l.entry_id
                           WHERE a.kind = 'SellerWallet' AND a.seller_id = {sellerId} AND e.kind = 'wallet.deposit') AS wallet_funded
            """).SingleAsync(ct);
        return
        [
            new(SellerStep.ShopCreated, row.ShopCreated),
            new(SellerStep.ItemsListed, row.ItemsListed),
            new(SellerStep.PromotionSet, row.PromotionSet),
            new(SellerStep.WalletFunded, row.WalletFunded),
        ];
    }

    private sealed record WebmasterRow(bool SiteRegistered, bool SiteVerified, bool SiteApproved, bool FirstLink, bool FirstClick, bool FirstEarning);

    private sealed record SellerRow(bool ShopCreated, bool ItemsListed, bool PromotionSet, bool WalletFunded);
}
