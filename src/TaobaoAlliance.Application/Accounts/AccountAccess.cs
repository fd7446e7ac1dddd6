using System.Globalization;
using Microsoft.AspNetCore.Identity;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Identity;

namespace TaobaoAlliance.Application.Accounts;

/// <summary>Why an account was not disabled or enabled; nothing was written.</summary>
public enum AccountRefusal { OwnAccount, ReasonRequired, ReasonTooLong, NoSuchAccount, AlreadyDisabled, NotDisabled, ChangedMeanwhile, Deleted }

/// <summary>The account's email (when it was found) and any refusal.</summary>
public sealed record AccountOutcome(string? Email, AccountRefusal? Refusal)
{
    public bool Succeeded => Refusal is null;
}

/// <summary>
/// An admin disables or enables an account, with an audit row. Disabling refuses sign-in from then on
/// (the sign-in page checks it, and the lockout end is set far ahead for any other way in) and ends the
/// account's sessions by changing its security stamp.
/// </summary>
public sealed class AccountAccess(AllianceDbContext db, UserManager<AllianceUser> users, AuditTrail audit, TimeProvider clock,
    ILogger<AccountAccess> logger)
{
    public const int MaxReasonLength = 1000;

    /// <summary>Lockout end of a disabled account: far enough ahead to mean "until an admin enables it".</summary>
    public static readonly DateTimeOffset DisabledLockoutEnd = new(3000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public async Task<AccountOutcome> DisableAsync(long userId, string? reason, long adminId, CancellationToken ct)
    {
        reason = reason?.Trim();
        if (userId == adminId) return new(null, AccountRefusal.OwnAccount);
        if (string.IsNullOrEmpty(reason)) return new(null, AccountRefusal.ReasonRequired);
        if (reason.Length > MaxReasonLength) return new(null, AccountRefusal.ReasonTooLong);

        ct.ThrowIfCancellationRequested();
        var user = await users.FindByIdAsync(userId.ToString(CultureInfo.InvariantCulture));
        if (user is null) return new(null, AccountRefusal.NoSuchAccount);
        if (user.DisabledAt is not null) return new(user.Email, AccountRefusal.AlreadyDisabled);

        user.DisabledAt = clock.GetUtcNow();
        user.LockoutEnabled = true;
        user.LockoutEnd = DisabledLockoutEnd;
        audit.Record(adminId, "account.disable", "user", user.Id, new { user.Email, reason });
        // A new security stamp makes the cookie validator sign the account's browsers out; the same
        // SaveChanges writes the user and the audit row.
        var result = await users.UpdateSecurityStampAsync(user);
        if (!result.Succeeded) return Failed(result, user);
        logger.LogWarning("Account {UserId} disabled by admin {AdminUserId}", user.Id, adminId);
        return new(user.Email, null);
    }

    public async Task<AccountOutcome> EnableAsync(long userId, long adminId, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var user = await users.FindByIdAsync(userId.ToString(CultureInfo.InvariantCulture));
        if (user is null) return new(null, AccountRefusal.NoSuchAccount);
        if (user.DisabledAt is null) return new(user.Email, AccountRefusal.NotDisabled);
        // A deleted account stays locked: it has no owner any more to sign in.
        if (user.DeletedAt is not null) return new(user.Email, AccountRefusal.Deleted);

        user.DisabledAt = null;
        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        audit.Record(adminId, "account.enable", "user", user.Id, new { user.Email });
        var result = await users.UpdateAsync(user);
        if (!result.Succeeded) return Failed(result, user);
        logger.LogInformation("Account {UserId} enabled by admin {AdminUserId}", user.Id, adminId);
        return new(user.Email, null);
    }

    private AccountOutcome Failed(IdentityResult result, AllianceUser user)
    {
        // Typically a concurrent change of the same user (optimistic concurrency): nothing was saved.
        db.ChangeTracker.Clear();
        logger.LogWarning("Account change refused by Identity: {Errors}", string.Join("; ", result.Errors.Select(e => e.Code)));
        return new(user.Email, AccountRefusal.ChangedMeanwhile);
    }
}
