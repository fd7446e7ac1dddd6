using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TaobaoAlliance.Data.Identity;

namespace TaobaoAlliance.Data.Accounts;

/// <summary>
/// An admin's invitation of another admin: one use, until <see cref="ExpiresAt"/>. Only the SHA-256 of the token is kept
/// (the token itself is in the emailed link and nowhere else), so reading this table opens no account.
/// </summary>
public sealed class AdminInvite
{
    public long Id { get; set; }
    public string Email { get; set; } = "";
    /// <summary>SHA-256 of the token (hex).</summary>
    public string TokenHash { get; set; } = "";
    public long InvitedByUserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    /// <summary>When the invite was used, and the account that became an admin through it.</summary>
    public DateTimeOffset? AcceptedAt { get; set; }
    public long? AcceptedUserId { get; set; }
}

internal sealed class AdminInviteConfiguration : IEntityTypeConfiguration<AdminInvite>
{
    public void Configure(EntityTypeBuilder<AdminInvite> b)
    {
        b.Property(i => i.Email).HasMaxLength(256);
        b.Property(i => i.TokenHash).HasMaxLength(64);
        b.HasIndex(i => i.TokenHash).IsUnique();
        b.HasIndex(i => i.Email);
        b.HasOne<AllianceUser>().WithMany().HasForeignKey(i => i.InvitedByUserId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AllianceUser>().WithMany().HasForeignKey(i => i.AcceptedUserId).OnDelete(DeleteBehavior.Restrict);
    }
}
