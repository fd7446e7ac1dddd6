using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TaobaoAlliance.Data.Hooks;

/// <summary>Pending until delivered (a 2xx answer) or given up (still failing when its day is over).</summary>
public enum HookMessageState { Pending, Delivered, GaveUp }

/// <summary>
/// The outbox: one postback or webhook to send, written in the same transaction as the event it tells of, so a
/// committed event always has its message and a rolled-back one has none. The schedule of tries lives here too
/// (<see cref="NextAttemptAt"/>), so a restart loses nothing; the delivery log is these rows.
/// </summary>
public sealed class HookMessage
{
    public long Id { get; set; }
    public long EndpointId { get; set; }
    public string Event { get; set; } = "";

    /// <summary>The address as sent (a postback's template with its macros filled in).</summary>
    public string Url { get; set; } = "";

    /// <summary>The exact JSON sent: the signature covers these bytes, so it is text, not jsonb.</summary>
    public string Body { get; set; } = "";

    /// <summary>Set for events that must be told once (a campaign stopped today): a second insert is ignored.</summary>
    public string? DedupeKey { get; set; }

    public HookMessageState State { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>After this the message is given up (a day after it was written, or after "send again").</summary>
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public int? LastStatus { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
}

internal sealed class HookMessageConfiguration : IEntityTypeConfiguration<HookMessage>
{
    public void Configure(EntityTypeBuilder<HookMessage> b)
    {
        b.Property(m => m.Event).HasMaxLength(40);
        b.Property(m => m.Url).HasMaxLength(4000);
        b.Property(m => m.DedupeKey).HasMaxLength(200);
        b.Property(m => m.State).HasConversion<string>().HasMaxLength(16);
        b.Property(m => m.LastError).HasMaxLength(500);
        b.HasIndex(m => m.NextAttemptAt).HasFilter("state = 'Pending'").HasDatabaseName("ix_hook_messages_due");
        b.HasIndex(m => new { m.EndpointId, m.Id });
        b.HasIndex(m => new { m.EndpointId, m.DedupeKey }).IsUnique().HasFilter("dedupe_key IS NOT NULL");
        b.HasOne<HookEndpoint>().WithMany().HasForeignKey(m => m.EndpointId).OnDelete(DeleteBehavior.Cascade);
    }
}
