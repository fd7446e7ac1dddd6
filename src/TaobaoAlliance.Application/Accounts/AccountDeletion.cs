using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Application.Campaigns;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Attribution.Sites;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Cpc;
using TaobaoAlliance.Data.Identity;
using TaobaoAlliance.Data.Payouts;
using TaobaoAlliance.Data.Sites;

namespace TaobaoAlliance.Application.Accounts;

/// <summary>Why an account was not deleted; nothing was changed.</summary>
public enum DeletionRefusal
{
    WrongPassword,
    CodeRequired,
    WrongCode,
    /// <summary>The only admin left: the platform would have nobody to run it.</summary>
    LastAdmin,
    /// <summary>Commission or CPC earnings still pending (in their hold), or a payout request's money in transit.</summary>
    MoneyPending,
    /// <summary>An available balance a payout can be requested for (at least the threshold), or below zero (a clawback owed).</summary>
    MoneyAvailable,
    /// <summary>A payout request not yet decided, or approved and not yet paid by finance.</summary>
    OpenPayout,
    /// <summary>Money left in the seller's wallet.</summary>
    SellerWallet,
    /// <summary>Commission the seller owes on orders not settled yet.</summary>
    SellerCommissionDue,
    AlreadyDeleted,
}

/// <summary>What stands in the way of deleting the account now, with the amounts to tell the user.</summary>
public sealed record DeletionCheck(IReadOnlyList<DeletionRefusal> Blockers, Money Pending, Money Available, Money Wallet, Money CommissionDue,
    Money PayoutThreshold)
{
    public bool CanDelete => Blockers.Count == 0;

    /// <summary>An available balance below the payout threshold can never be paid out: deleting gives it up (the page says so).</summary>
    public Money GivenUp => Available.Fen > 0 && Available < PayoutThreshold ? Available : Money.Zero;
}

/// <summary>The refusal, if any, and (refused for money) the check that says how much.</summary>
public sealed record DeletionOutcome(DeletionRefusal? Refusal, DeletionCheck? Check = null)
{
    public bool Succeeded => Refusal is null;
}

/// <summary>
/// A user deletes their own account. Refused while money is owed either way (docs/money.md: pending commission or CPC
/// earnings in their hold, an undecided or unpaid payout, an available balance that can be paid out or is negative, money
/// in a seller's wallet or commission a seller still owes), and for the last admin. Otherwise, in one transaction: the
/// Identity user is emptied (email and user name become <c>deleted-{id}@invalid</c>, name, phone and password removed,
/// two-factor key and recovery codes, logins and roles removed, locked out for ever, a new security stamp so every session
/// ends); the payout method, API key, Orders API secrets, postbacks and webhooks, notifications, preferences, cart and
/// the emails sent to the address are deleted; sites are taken out of service (approved → suspended, pending →
/// rejected) and their links paused, campaigns paused (through <see cref="CampaignEditor"/>), shops' items taken off sale
/// — each saved through EF so the click-path and storefront caches are dropped. The ledger, orders, commissions and
/// payout requests stay, as money records must, under the account's id, which now names nobody. One audit row.
/// </summary>
public sealed class AccountDeletion(AllianceDbContext db, UserManager<AllianceUser> users, CampaignEditor campaigns, AuditTrail audit,
    IOptionsSnapshot<AllianceOptions> options, TimeProvider clock, ILogger<AccountDeletion> logger)
{
    /// <summary>Held while admins are counted, so two last admins deleting at once cannot both go.</summary>
    private const long AdminCountLock = 0x4144_4D49_4E53; // "ADMINS"

    public static string DeletedEmail(long userId) => string.Create(CultureInfo.InvariantCulture, $"deleted-{userId}@invalid");

    /// <summary>What would refuse a deletion now (without the password): the page shows it before the user types anything.</summary>
    public async Task<DeletionCheck> CheckAsync(long userId, CancellationToken ct)
    {
        var blockers = new List<DeletionRefusal>();
        var threshold = new Money(options.Value.PayoutThresholdFen);
        if (await db.Users.AnyAsync(u => u.Id == userId && u.DeletedAt != null, ct))
        {
            return new([DeletionRefusal.AlreadyDeleted], Money.Zero, Money.Zero, Money.Zero, Money.Zero, threshold);
        }
        if (await IsLastAdminAsync(userId, ct)) blockers.Add(DeletionRefusal.LastAdmin);

        var webmasterId = await db.Webmasters.Where(w => w.UserId == userId).Select(w => (long?)w.Id).SingleOrDefaultAsync(ct);
        var sellerId = await db.Sellers.Where(s => s.UserId == userId).Select(s => (long?)s.Id).SingleOrDefaultAsync(ct);
        var balances = await db.LedgerAccounts
            .Where(a => (webmasterId != null && a.WebmasterId == webmasterId) || (sellerId != null && a.SellerId == sellerId))
            .Select(a => new { a.Kind, Fen = a.BalanceFen ?? 0 })
            .ToListAsync(ct);
        Money Of(params AccountKind[] kinds) => new(balances.Where(b => kinds.Contains(b.Kind)).Sum(b => b.Fen));

        var pending = Of(AccountKind.WebmasterPending, AccountKind.WebmasterCpcPending, AccountKind.WebmasterPayoutRequested);
        var available = Of(AccountKind.WebmasterAvailable);
        var wallet = Of(AccountKind.SellerWallet);
        var due = Of(AccountKind.SellerCommissionDue);
        if (pending.Fen != 0) blockers.Add(DeletionRefusal.MoneyPending);
        if (available.Fen < 0 || available >= threshold) blockers.Add(DeletionRefusal.MoneyAvailable);
        if (webmasterId is not null && await db.PayoutRequests.AnyAsync(p => p.WebmasterId == webmasterId
                && (p.State == PayoutState.Requested || p.State == PayoutState.Approved), ct))
        {
            blockers.Add(DeletionRefusal.OpenPayout);
        }
        if (wallet.Fen != 0) blockers.Add(DeletionRefusal.SellerWallet);
        if (due.Fen != 0) blockers.Add(DeletionRefusal.SellerCommissionDue);
        return new(blockers, pending, available, wallet, new Money(-due.Fen), threshold);
    }

    public async Task<DeletionOutcome> DeleteAsync(long userId, string? password, string? twoFactorCode, CancellationToken ct)
    {
        var user = await users.Users.SingleAsync(u => u.Id == userId, ct);
        if (user.DeletedAt is not null) return new(DeletionRefusal.AlreadyDeleted);
        if (string.IsNullOrEmpty(password) || !await users.CheckPasswordAsync(user, password)) return new(DeletionRefusal.WrongPassword);
        if (user.TwoFactorEnabled)
        {
            var code = (twoFactorCode ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
            if (code.Length == 0) return new(DeletionRefusal.CodeRequired);
            if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code)) return new(DeletionRefusal.WrongCode);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdminCountLock})", ct);
        var webmaster = await db.Webmasters.SingleOrDefaultAsync(w => w.UserId == userId, ct);
        var seller = await db.Sellers.SingleOrDefaultAsync(s => s.UserId == userId, ct);
        // Lock the user's ledger accounts: a payout request or a deposit cannot slip in between the check and the deletion.
        var webmasterId = webmaster?.Id;
        var sellerId = seller?.Id;
        var accountIds = await db.LedgerAccounts
            .Where(a => (webmasterId != null && a.WebmasterId == webmasterId) || (sellerId != null && a.SellerId == sellerId))
            .Select(a => a.Id).ToListAsync(ct);
        await db.LedgerAccounts.FromSql($"SELECT * FROM ledger_accounts WHERE id = ANY({accountIds.ToArray()}) ORDER BY id FOR UPDATE")
            .AsNoTracking().ToListAsync(ct);
        var check = await CheckAsync(userId, ct);
        if (!check.CanDelete)
        {
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return new(check.Blockers[0], check);
        }

        var now = clock.GetUtcNow();
        var oldEmail = user.Email;
        var roles = await users.GetRolesAsync(user);
        var sitesTaken = 0;
        var campaignsPaused = 0;

        if (webmaster is not null)
        {
            webmaster.ApiKeyHash = null;
            webmaster.ApiKeyPrefix = null;
            await db.PayoutMethods.Where(m => m.WebmasterId == webmaster.Id).ExecuteDeleteAsync(ct);
            var sites = await db.Sites.Where(s => s.WebmasterId == webmaster.Id).ToListAsync(ct);
            foreach (var site in sites)
            {
                SiteState? to = site.State switch
                {
                    SiteState.Approved => SiteState.Suspended,
                    SiteState.Pending => SiteState.Rejected,
                    _ => null,
                };
                if (to is not { } target) continue;
                db.SiteReviews.Add(new SiteReview { SiteId = site.Id, FromState = site.State, ToState = target, ActorUserId = userId, At = now });
                site.State = target;
                site.StateReason = null;
                sitesTaken++;
            }
            var siteIds = sites.Select(s => s.Id).ToList();
            await db.HookEndpoints.Where(h => h.SiteId != null && siteIds.Contains(h.SiteId.Value)).ExecuteDeleteAsync(ct);
            // Tracked, not a bulk update: saving a link is what drops this node's click targets (the trigger tells the others).
            foreach (var link in await db.Links.Where(l => l.WebmasterId == webmaster.Id && !l.IsPaused).ToListAsync(ct)) link.IsPaused = true;
        }

        if (seller is not null)
        {
            var shops = await db.Shops.Where(s => s.SellerId == seller.Id).ToListAsync(ct);
            var shopIds = shops.Select(s => s.Id).ToList();
            foreach (var shop in shops) shop.OrdersApiSecret = null;
            foreach (var item in await db.Items.Where(i => shopIds.Contains(i.ShopId) && i.IsListed).ToListAsync(ct)) item.IsListed = false;
            await db.HookEndpoints.Where(h => h.ShopId != null && shopIds.Contains(h.ShopId.Value)).ExecuteDeleteAsync(ct);
            var active = await db.Campaigns.Where(c => shopIds.Contains(c.ShopId) && c.State == CampaignState.Active).Select(c => c.Id).ToListAsync(ct);
            foreach (var campaignId in active)
            {
                await campaigns.SetStateAsync(seller.Id, userId, campaignId, CampaignState.Paused, ct);
                campaignsPaused++;
            }
        }

        await db.Notifications.Where(n => n.UserId == userId).ExecuteDeleteAsync(ct);
        await db.NotificationPreferences.Where(p => p.UserId == userId).ExecuteDeleteAsync(ct);
        await db.CartLines.Where(c => c.UserId == userId).ExecuteDeleteAsync(ct);
        if (oldEmail is not null) await db.OutboxEmails.Where(e => e.To == oldEmail).ExecuteDeleteAsync(ct);
        await db.UserTokens.Where(t => t.UserId == userId).ExecuteDeleteAsync(ct);
        await db.UserLogins.Where(l => l.UserId == userId).ExecuteDeleteAsync(ct);
        await db.UserClaims.Where(c => c.UserId == userId).ExecuteDeleteAsync(ct);
        await db.UserRoles.Where(r => r.UserId == userId).ExecuteDeleteAsync(ct);

        var anonymous = DeletedEmail(userId);
        user.UserName = anonymous;
        user.Email = anonymous;
        user.EmailConfirmed = false;
        user.DisplayName = "";
        user.PhoneNumber = null;
        user.PhoneNumberConfirmed = false;
        user.PasswordHash = null;
        user.TwoFactorEnabled = false;
        user.Language = null;
        user.LockoutEnabled = true;
        user.LockoutEnd = AccountAccess.DisabledLockoutEnd;
        user.AccessFailedCount = 0;
        user.DisabledAt ??= now;
        user.DeletedAt = now;
        // No email or name in the audit row: it outlives the account and must not bring the personal data back.
        audit.Record(userId, "account.delete", "user", userId, new { roles = roles.Order(StringComparer.Ordinal).ToList(), sitesTaken, campaignsPaused });
        // A new security stamp ends every session at its next request; this also saves the user, the audit row and the rest.
        var result = await users.UpdateSecurityStampAsync(user);
        if (!result.Succeeded)
        {
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            throw new InvalidOperationException("Deleting account " + userId + " failed: " + string.Join("; ", result.Errors.Select(e => e.Code)));
        }
        await transaction.CommitAsync(ct);
        logger.LogWarning("Account {UserId} deleted by its owner ({SitesTaken} sites taken out of service, {CampaignsPaused} campaigns paused)",
            userId, sitesTaken, campaignsPaused);
        return new(null);
    }

    private async Task<bool> IsLastAdminAsync(long userId, CancellationToken ct)
    {
        var adminRole = await db.Roles.Where(r => r.Name == Roles.Admin).Select(r => r.Id).SingleOrDefaultAsync(ct);
        if (!await db.UserRoles.AnyAsync(ur => ur.UserId == userId && ur.RoleId == adminRole, ct)) return false;
        return !await db.UserRoles.AnyAsync(ur => ur.RoleId == adminRole && ur.UserId != userId
            && db.Users.Any(u => u.Id == ur.UserId && u.DisabledAt == null && u.DeletedAt == null), ct);
    }
}
