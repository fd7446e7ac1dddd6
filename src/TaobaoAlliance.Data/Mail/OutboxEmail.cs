using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TaobaoAlliance.Data.Mail;

/// <summary>
/// An email the platform sent (password reset, notices): the durable record. With <c>Smtp:Host</c> configured the
/// SMTP delivery sends it and sets <see cref="SentAt"/> only once the server accepted it (retrying with backoff);
/// without it (development) it stays here and in the log, and admins read the outbox page.
/// </summary>
public sealed class OutboxEmail
{
    public long Id { get; set; }
    public string To { get; set; } = "";
    public string Subject { get; set; } = "";
    public string HtmlBody { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the SMTP server accepted it; null while it waits (or when no server is configured).</summary>
    public DateTimeOffset? SentAt { get; set; }
    public int Attempts { get; set; }

    /// <summary>Not tried again before this (backoff after a failure); null: try now.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }
    public string? LastError { get; set; }
}

internal sealed class OutboxEmailConfiguration : IEntityTypeConfiguration<OutboxEmail>
{
    public void Configure(EntityTypeBuilder<OutboxEmail> b)
    {
        b.Property(e => e.To).HasMaxLength(256);
        b.Property(e => e.Subject).HasMaxLength(300);
        b.Property(e => e.LastError).HasMaxLength(1000);
        b.HasIndex(e => e.CreatedAt);
        b.HasIndex(e => e.To);
        // The delivery's queue: only unsent rows are in it.
        b.HasIndex(e => e.Id).HasFilter("sent_at IS NULL").HasDatabaseName("ix_outbox_emails_unsent");
    }
}
