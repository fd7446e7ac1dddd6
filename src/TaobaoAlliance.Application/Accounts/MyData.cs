using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Identity;

namespace TaobaoAlliance.Application.Accounts;

/// <summary>
/// Everything personal the platform holds about one user, as plain records for a JSON download ("download my data").
/// Secrets are left out on purpose — the password hash, security stamp, authenticator key, recovery codes, API key
/// hashes and signing secrets — and a payout account appears only masked: the file may be mailed around, and none of
/// it must let anyone sign in, sign requests or read where the money goes.
/// </summary>
public sealed class MyData(AllianceDbContext db, UserManager<AllianceUser> users)
{
    public sealed record Export(DateTimeOffset ExportedAt, AccountData Account, WebmasterData? Webmaster, SellerData? Seller,
        IReadOnlyList<OrderData> OrdersAsBuyer, IReadOnlyList<CartLineData> Cart, IReadOnlyList<NotificationData> Notifications,
        IReadOnlyList<PreferenceData> NotificationPreferences, IReadOnlyList<LedgerAccountData> Ledger);

    public sealed record AccountData(long Id, string? Email, bool EmailConfirmed, string DisplayName, IReadOnlyList<string> Roles,
        DateTimeOffset CreatedAt, bool TwoFactorEnabled, string? Language, DateTimeOffset? DisabledAt);

    public sealed record WebmasterData(long Id, DateTimeOffset CreatedAt, string? ApiKeyPrefix, IReadOnlyList<SiteData> Sites,
        IReadOnlyList<LinkData> Links, PayoutMethodData? PayoutMethod, IReadOnlyList<PayoutRequestData> PayoutRequests);

    public sealed record SiteData(long Id, string Name, string Url, int CategoryId, int ClaimedDailyVisitors, string Description, string State,
        string? StateReason, DateTimeOffset CreatedAt, DateTimeOffset? VerifiedAt, string? PostbackUrl, IReadOnlyList<ZoneData> Zones);

    public sealed record ZoneData(long Id, string Name, bool IsSmart, DateTimeOffset CreatedAt);

    public sealed record LinkData(long Id, string Code, long SiteId, long ZoneId, long ItemId, bool IsPaused, DateTimeOffset CreatedAt);

    /// <summary>The account number only as pages show it (last digits), never the stored ciphertext.</summary>
    public sealed record PayoutMethodData(string Kind, string HolderName, string BankName, string MaskedAccount, DateTimeOffset UpdatedAt);

    public sealed record PayoutRequestData(long Id, long AmountFen, string State, DateTimeOffset RequestedAt, DateTimeOffset? DecidedAt,
        string? Reason, DateTimeOffset? PaidAt, string? PaidReference);

    public sealed record SellerData(long Id, DateTimeOffset CreatedAt, IReadOnlyList<ShopData> Shops, IReadOnlyList<CampaignData> Campaigns,
        IReadOnlyList<DepositData> WalletDeposits);

    public sealed record ShopData(long Id, string Slug, string NameZh, string NameEn, string Description, int GeneralRateBp, string? StoreHost,
        bool HasOrdersApiSecret, string? WebhookUrl, DateTimeOffset CreatedAt, int Items);

    public sealed record CampaignData(long Id, long ShopId, string Name, long BidFen, long DailyBudgetFen, string State, DateTimeOffset StartsAt,
        DateTimeOffset? EndsAt, DateTimeOffset CreatedAt);

    public sealed record DepositData(long Id, long AmountFen, string State, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt);

    public sealed record OrderData(long Id, long ShopId, string ExternalOrderId, string State, DateTimeOffset PaidAt, DateTimeOffset? ConfirmedAt,
        IReadOnlyList<OrderLineData> Lines);

    public sealed record OrderLineData(long ItemId, int Quantity, long PaidFen, int RefundedQuantity, long RefundedFen);

    public sealed record CartLineData(long ItemId, int Quantity, DateTimeOffset AddedAt);

    public sealed record NotificationData(long Id, string Kind, JsonElement Arguments, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);

    public sealed record PreferenceData(string Kind, bool Email);

    public sealed record LedgerAccountData(string Kind, long BalanceFen, IReadOnlyList<StatementLineData> Lines);

    public sealed record StatementLineData(long EntryId, DateTimeOffset OccurredAt, string Kind, string Description, long AmountFen,
        long? OrderId, long? PayoutRequestId);

    public async Task<Export> ReadAsync(long userId, DateTimeOffset now, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId, ct);
        var roles = await users.GetRolesAsync(user);
        var account = new AccountData(user.Id, user.Email, user.EmailConfirmed, user.DisplayName, [.. roles.Order(StringComparer.Ordinal)],
            user.CreatedAt, user.TwoFactorEnabled, user.Language, user.DisabledAt);

        var webmaster = await db.Webmasters.AsNoTracking().SingleOrDefaultAsync(w => w.UserId == userId, ct);
        var seller = await db.Sellers.AsNoTracking().SingleOrDefaultAsync(s => s.UserId == userId, ct);

        var orders = (await db.Orders.AsNoTracking().Where(o => o.BuyerUserId == userId).OrderBy(o => o.Id)
                .Select(o => new
                {
                    o.Id, o.ShopId, o.ExternalOrderId, o.State, o.PaidAt, o.ConfirmedAt,
                    Lines = o.Lines.OrderBy(l => l.Id).Select(l => new OrderLineData(l.ItemId, l.Quantity, l.PaidFen, l.RefundedQuantity, l.RefundedFen)).ToList(),
                })
                .ToListAsync(ct))
            .Select(o => new OrderData(o.Id, o.ShopId, o.ExternalOrderId, o.State.ToString(), o.PaidAt, o.ConfirmedAt, o.Lines)).ToList();
        var cart = await db.CartLines.AsNoTracking().Where(c => c.UserId == userId).OrderBy(c => c.AddedAt)
            .Select(c => new CartLineData(c.ItemId, c.Quantity, c.AddedAt)).ToListAsync(ct);
        var notifications = (await db.Notifications.AsNoTracking().Where(n => n.UserId == userId).OrderBy(n => n.Id)
                .Select(n => new { n.Id, n.Kind, n.Arguments, n.CreatedAt, n.ReadAt }).ToListAsync(ct))
            .Select(n => new NotificationData(n.Id, n.Kind.ToString(), ParseJson(n.Arguments), n.CreatedAt, n.ReadAt)).ToList();
        var preferences = (await db.NotificationPreferences.AsNoTracking().Where(p => p.UserId == userId).ToListAsync(ct))
            .Select(p => new PreferenceData(p.Kind.ToString(), p.Email)).OrderBy(p => p.Kind, StringComparer.Ordinal).ToList();

        return new Export(now, account,
            webmaster is null ? null : await WebmasterAsync(webmaster, ct),
            seller is null ? null : await SellerAsync(seller, ct),
            orders, cart, notifications, preferences,
            await LedgerAsync(webmaster?.Id, seller?.Id, ct));
    }

    private async Task<WebmasterData> WebmasterAsync(Webmaster webmaster, CancellationToken ct)
    {
        var sites = await db.Sites.AsNoTracking().Where(s => s.WebmasterId == webmaster.Id).OrderBy(s => s.Id)
            .Select(s => new
            {
                s.Id, s.Name, s.Url, s.CategoryId, s.ClaimedDailyVisitors, s.Description, s.State, s.StateReason, s.CreatedAt, s.VerifiedAt,
                Zones = s.Zones.OrderBy(z => z.Id).Select(z => new ZoneData(z.Id, z.Name, z.IsSmart, z.CreatedAt)).ToList(),
            })
            .ToListAsync(ct);
        var siteIds = sites.Select(s => s.Id).ToList();
        var postbacks = await db.HookEndpoints.AsNoTracking().Where(h => h.SiteId != null && siteIds.Contains(h.SiteId.Value))
            .ToDictionaryAsync(h => h.SiteId!.Value, h => h.Url, ct);
        var links = await db.Links.AsNoTracking().Where(l => l.WebmasterId == webmaster.Id).OrderBy(l => l.Id)
            .Select(l => new LinkData(l.Id, l.Code, l.SiteId, l.ZoneId, l.ItemId, l.IsPaused, l.CreatedAt)).ToListAsync(ct);
        var method = await db.PayoutMethods.AsNoTracking().Where(m => m.WebmasterId == webmaster.Id)
            .Select(m => new { m.Kind, m.HolderName, m.BankName, m.MaskedAccount, m.UpdatedAt }).SingleOrDefaultAsync(ct);
        var payouts = (await db.PayoutRequests.AsNoTracking().Where(p => p.WebmasterId == webmaster.Id).OrderBy(p => p.Id).ToListAsync(ct))
            .Select(p => new PayoutRequestData(p.Id, p.AmountFen, p.State.ToString(), p.RequestedAt, p.DecidedAt, p.Reason, p.PaidAt, p.PaidReference))
            .ToList();
        return new WebmasterData(webmaster.Id, webmaster.CreatedAt, webmaster.ApiKeyPrefix,
            [.. sites.Select(s => new SiteData(s.Id, s.Name, s.Url, s.CategoryId, s.ClaimedDailyVisitors, s.Description, s.State.ToString(),
                s.StateReason, s.CreatedAt, s.VerifiedAt, postbacks.GetValueOrDefault(s.Id), s.Zones))],
            links,
            method is null ? null : new PayoutMethodData(method.Kind.ToString(), method.HolderName, method.BankName, method.MaskedAccount, method.UpdatedAt),
            payouts);
    }

    private async Task<SellerData> SellerAsync(Seller seller, CancellationToken ct)
    {
        var shops = await db.Shops.AsNoTracking().Where(s => s.SellerId == seller.Id).OrderBy(s => s.Id)
            .Select(s => new
            {
                s.Id, s.Slug, s.NameZh, s.NameEn, s.Description, s.GeneralRateBp, s.StoreHost, HasSecret = s.OrdersApiSecret != null, s.CreatedAt,
                Items = s.Items.Count,
            })
            .ToListAsync(ct);
        var shopIds = shops.Select(s => s.Id).ToList();
        var webhooks = await db.HookEndpoints.AsNoTracking().Where(h => h.ShopId != null && shopIds.Contains(h.ShopId.Value))
            .ToDictionaryAsync(h => h.ShopId!.Value, h => h.Url, ct);
        var campaigns = (await db.Campaigns.AsNoTracking().Where(c => shopIds.Contains(c.ShopId)).OrderBy(c => c.Id).ToListAsync(ct))
            .Select(c => new CampaignData(c.Id, c.ShopId, c.Name, c.BidFen, c.DailyBudgetFen, c.State.ToString(), c.StartsAt, c.EndsAt, c.CreatedAt))
            .ToList();
        var deposits = (await db.WalletDeposits.AsNoTracking().Where(d => d.SellerId == seller.Id).OrderBy(d => d.Id).ToListAsync(ct))
            .Select(d => new DepositData(d.Id, d.AmountFen, d.State.ToString(), d.CreatedAt, d.CompletedAt)).ToList();
        return new SellerData(seller.Id, seller.CreatedAt,
            [.. shops.Select(s => new ShopData(s.Id, s.Slug, s.NameZh, s.NameEn, s.Description, s.GeneralRateBp, s.StoreHost, s.HasSecret,
                webhooks.GetValueOrDefault(s.Id), s.CreatedAt, s.Items))],
            campaigns, deposits);
    }

    /// <summary>The user's own ledger accounts (a webmaster's balances, a seller's wallet) with every statement line.</summary>
    private async Task<IReadOnlyList<LedgerAccountData>> LedgerAsync(long? webmasterId, long? sellerId, CancellationToken ct)
    {
        if (webmasterId is null && sellerId is null) return [];
        var accounts = await db.LedgerAccounts.AsNoTracking()
            .Where(a => (webmasterId != null && a.WebmasterId == webmasterId) || (sellerId != null && a.SellerId == sellerId))
            .OrderBy(a => a.Id).ToListAsync(ct);
        var ids = accounts.Select(a => a.Id).ToList();
        var lines = (await db.JournalLines.AsNoTracking().Where(l => ids.Contains(l.AccountId))
                .Join(db.JournalEntries, l => l.EntryId, e => e.Id, (l, e) => new
                {
                    l.AccountId, e.Id, e.OccurredAt, e.Kind, e.Description, l.AmountFen, e.OrderId, e.PayoutRequestId, LineId = l.Id,
                })
                .OrderBy(x => x.OccurredAt).ThenBy(x => x.LineId)
                .ToListAsync(ct))
            .ToLookup(x => x.AccountId);
        return [.. accounts.Select(a => new LedgerAccountData(a.Kind.ToString(), lines[a.Id].Sum(l => l.AmountFen),
            [.. lines[a.Id].Select(l => new StatementLineData(l.Id, l.OccurredAt, l.Kind, l.Description, l.AmountFen, l.OrderId, l.PayoutRequestId))]))];
    }

    private static JsonElement ParseJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
