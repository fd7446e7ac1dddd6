using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TaobaoAlliance.Data.Notifications;

/// <summary>What a notification is about; each kind has its own words (rendered in the reader's language) and its own email preference.</summary>
public enum NotificationKind
{
    SiteDecision,
    PlanDecision,
    PayoutDecision,
    CommissionConfirmed,
    CommissionReversed,
    WalletLow,
    CampaignStopped,
    ItemDelisted,
    ItemRelisted,
}

/// <summary>Where a notification stands on its way to the recipient's mailbox.</summary>
public enum NotificationEmailState
{
    /// <summary>Not yet looked at by the mailer.</summary>
    Pending,
    /// <summary>Rendered into the email outbox (<see cref="Notification.OutboxEmailId"/>).</summary>
    Queued,
    /// <summary>No email: the recipient turned this kind off, or has no address.</summary>
    Skipped,
}

/// <summary>
/// One notice to one user, stored as a kind and its arguments (camelCase JSON), never as sentences: the words are
/// chosen when it is read, in the reader's language. Written in the same transaction as the event it tells of.
/// <see cref="GroupKey"/> makes one notice out of many events (a settlement run's commissions, a campaign's day).
/// </summary>
public sealed class Notification
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public NotificationKind Kind { get; set; }
    public string Arguments { get; set; } = "{}";
    public string? GroupKey { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }
    public NotificationEmailState EmailState { get; set; }
    public long? OutboxEmailId { get; set; }
}

/// <summary>A user's choice for one kind: in-app is always on; email is on unless a row says off.</summary>
public sealed class NotificationPreference
{
    public long UserId { get; set; }
    public NotificationKind Kind { get; set; }
    public bool Email { get; set; }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.Property(n => n.Kind).HasConversion<string>().HasMaxLength(40);
        b.Property(n => n.EmailState).HasConversion<string>().HasMaxLength(16);
        b.Property(n => n.Arguments).HasColumnType("jsonb");
        b.Property(n => n.GroupKey).HasMaxLength(120);
        b.HasOne<Identity.AllianceUser>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
        // The list, newest first.
        b.HasIndex(n => new { n.UserId, n.CreatedAt });
        // The bell's count on every page: only unread rows are in this index.
        b.HasIndex(n => n.UserId).HasFilter("read_at IS NULL").HasDatabaseName("ix_notifications_unread");
        // The mailer's queue.
        b.HasIndex(n => n.Id).HasFilter("email_state = 'Pending'").HasDatabaseName("ix_notifications_email_pending");
        // One notice per group (a settlement run per webmaster, a stopped campaign per day).
        b.HasIndex(n => new { n.UserId, n.Kind, n.GroupKey }).IsUnique().HasFilter("group_key IS NOT NULL")
            .HasDatabaseName("ux_notifications_group");
    }
}

internal sealed class NotificationPreferenceConfiguration : IEntityTypeConfiguration<NotificationPreference>
{
    public void Configure(EntityTypeBuilder<NotificationPreference> b)
    {
        b.HasKey(p => new { p.UserId, p.Kind });
        b.Property(p => p.Kind).HasConversion<string>().HasMaxLength(40);
        b.HasOne<Identity.AllianceUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
