using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Accounts;
using TaobaoAlliance.Data.Identity;

namespace TaobaoAlliance.Application.Accounts;

/// <summary>Settings of accounts (section <c>Accounts</c>).</summary>
public sealed class AccountOptions
{
    public const string Section = "Accounts";

    /// <summary>How long an admin invitation's link works (72 hours).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan AdminInviteLifetime { get; set; } = TimeSpan.FromHours(72);
}

/// <summary>Why an invitation was not made; nothing was written.</summary>
public enum InviteRefusal { InvalidEmail, AlreadyAdmin, NotAnAdmin }

/// <summary>The invitation made: the token goes into the emailed link (and nowhere else), or the refusal.</summary>
public sealed record InviteOutcome(string Email, string? Token, DateTimeOffset ExpiresAt, InviteRefusal? Refusal)
{
    public bool Succeeded => Refusal is null;
}

/// <summary>Where an invitation link stands.</summary>
public enum InviteState { Valid, Unknown, Expired, Used }

/// <summary>The invitation behind a link: its state, the address it is for, and whether that address already has an account.</summary>
public sealed record InviteLookup(InviteState State, string? Email, bool AccountExists);

/// <summary>Why an accepted invitation did not make an admin; nothing was written.</summary>
public enum AcceptRefusal { NotValid, AccountExists, NoAccount, OtherAccount, AccountDisabled, Password }

/// <summary>The account that is an admin now, or the refusal (and Identity's errors, for a password it refused).</summary>
public sealed record AcceptOutcome(AllianceUser? User, AcceptRefusal? Refusal, InviteState State = InviteState.Valid, IReadOnlyList<IdentityError>? Errors = null)
{
    public bool Succeeded => Refusal is null;
}

/// <summary>
/// An admin invites another admin by email: a one-time token (only its SHA-256 is stored) that expires after
/// <see cref="AccountOptions.AdminInviteLifetime"/>. The invitee either opens a new account with the link (email
/// confirmed by the link itself, role Admin) or, when the address already has an account, signs in and accepts. Every
/// step is audited; the admin area then asks the new admin to set up two-factor sign-in (AdminTwoFactorFilter).
/// </summary>
public sealed class AdminInvites(AllianceDbContext db, UserManager<AllianceUser> users, AuditTrail audit, IOptions<AccountOptions> options,
    TimeProvider clock, ILogger<AdminInvites> logger)
{
    public const int MaxEmailLength = 256;

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public async Task<InviteOutcome> InviteAsync(string? email, long adminUserId, CancellationToken ct)
    {
        email = email?.Trim() ?? "";
        var now = clock.GetUtcNow();
        if (email.Length is 0 or > MaxEmailLength || !new EmailAddressAttribute().IsValid(email) || email.EndsWith("@invalid", StringComparison.OrdinalIgnoreCase))
        {
            return new(email, null, now, InviteRefusal.InvalidEmail);
        }
        var admin = await users.FindByIdAsync(adminUserId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (admin is null || !await users.IsInRoleAsync(admin, Roles.Admin)) return new(email, null, now, InviteRefusal.NotAnAdmin);
        if (await users.FindByEmailAsync(email) is { } existing && await users.IsInRoleAsync(existing, Roles.Admin))
        {
            return new(email, null, now, InviteRefusal.AlreadyAdmin);
        }

        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var invite = new AdminInvite
        {
            Email = email, TokenHash = Hash(token), InvitedByUserId = adminUserId, CreatedAt = now,
            ExpiresAt = now + options.Value.AdminInviteLifetime,
        };
        db.AdminInvites.Add(invite);
        await db.SaveChangesAsync(ct);
        audit.Record(adminUserId, "admin.invite", "admin_invite", invite.Id, new { email, expiresAt = invite.ExpiresAt });
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Admin {AdminUserId} invited a new admin (invite {InviteId})", adminUserId, invite.Id);
        return new(email, token, invite.ExpiresAt, null);
    }

    public async Task<InviteLookup> ReadAsync(string? token, CancellationToken ct)
    {
        var invite = await FindAsync(token, ct);
        var state = StateOf(invite);
        if (invite is null || state != InviteState.Valid) return new(state, null, false);
        return new(state, invite.Email, await users.FindByEmailAsync(invite.Email) is not null);
    }

    /// <summary>Opens a new admin account with the invitation (the address has none yet).</summary>
    public async Task<AcceptOutcome> AcceptNewAsync(string? token, string displayName, string password, string? language, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var invite = await LockAsync(token, ct);
        if (StateOf(invite) is var state && state != InviteState.Valid) return new(null, AcceptRefusal.NotValid, state);
        if (await users.FindByEmailAsync(invite!.Email) is not null) return new(null, AcceptRefusal.AccountExists);

        var now = clock.GetUtcNow();
        // The link came to this address: opening it proves the address, as the confirmation email would.
        var user = new AllianceUser
        {
            UserName = invite.Email, Email = invite.Email, EmailConfirmed = true, DisplayName = displayName.Trim(), CreatedAt = now, Language = language,
        };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return new(null, AcceptRefusal.Password, Errors: [.. created.Errors]);
        }
        var role = await users.AddToRoleAsync(user, Roles.Admin);
        if (!role.Succeeded) throw new InvalidOperationException("Could not make the invited user an admin: " + string.Join("; ", role.Errors.Select(e => e.Code)));
        await AcceptedAsync(invite, user, now, newAccount: true, ct);
        await transaction.CommitAsync(ct);
        return new(user, null);
    }

    /// <summary>The signed-in user accepts an invitation sent to their own address, and becomes an admin.</summary>
    public async Task<AcceptOutcome> AcceptExistingAsync(string? token, long userId, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var invite = await LockAsync(token, ct);
        if (StateOf(invite) is var state && state != InviteState.Valid) return new(null, AcceptRefusal.NotValid, state);
        var user = await users.FindByEmailAsync(invite!.Email);
        if (user is null) return new(null, AcceptRefusal.NoAccount);
        if (user.Id != userId) return new(null, AcceptRefusal.OtherAccount);
        if (user.DisabledAt is not null || user.DeletedAt is not null) return new(null, AcceptRefusal.AccountDisabled);

        if (!await users.IsInRoleAsync(user, Roles.Admin))
        {
            var role = await users.AddToRoleAsync(user, Roles.Admin);
            if (!role.Succeeded) throw new InvalidOperationException("Could not make the invited user an admin: " + string.Join("; ", role.Errors.Select(e => e.Code)));
        }
        // Admins sign in with two factors; confirming the address by the link is as good as the confirmation email.
        if (!user.EmailConfirmed)
        {
            user.EmailConfirmed = true;
            await users.UpdateAsync(user);
        }
        await AcceptedAsync(invite, user, clock.GetUtcNow(), newAccount: false, ct);
        await transaction.CommitAsync(ct);
        return new(user, null);
    }

    private async Task AcceptedAsync(AdminInvite invite, AllianceUser user, DateTimeOffset now, bool newAccount, CancellationToken ct)
    {
        invite.AcceptedAt = now;
        invite.AcceptedUserId = user.Id;
        audit.Record(user.Id, "admin.invite.accept", "admin_invite", invite.Id, new { userId = user.Id, invitedBy = invite.InvitedByUserId, newAccount });
        await db.SaveChangesAsync(ct);
        logger.LogWarning("User {UserId} became an admin through invite {InviteId} of admin {AdminUserId}", user.Id, invite.Id, invite.InvitedByUserId);
    }

    private InviteState StateOf(AdminInvite? invite) =>
        invite is null ? InviteState.Unknown
        : invite.AcceptedAt is not null ? InviteState.Used
        : invite.ExpiresAt <= clock.GetUtcNow() ? InviteState.Expired
        : InviteState.Valid;

    private async Task<AdminInvite?> FindAsync(string? token, CancellationToken ct) =>
        string.IsNullOrEmpty(token) || token.Length > 200 ? null
            : await db.AdminInvites.AsNoTracking().SingleOrDefaultAsync(i => i.TokenHash == Hash(token), ct);

    /// <summary>The invitation, locked: two people opening the same link at once cannot both use it.</summary>
    private async Task<AdminInvite?> LockAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 200) return null;
        var hash = Hash(token);
        return await db.AdminInvites.FromSql($"SELECT * FROM admin_invites WHERE token_hash = {hash} FOR UPDATE").SingleOrDefaultAsync(ct);
    }
}
