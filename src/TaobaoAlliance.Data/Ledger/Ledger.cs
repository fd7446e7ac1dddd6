using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data.Identity;

namespace TaobaoAlliance.Data.Ledger;

/// <summary>A ledger account. Its balance is the sum of its journal lines; <see cref="BalanceFen"/> keeps that sum for the parties' accounts.</summary>
public sealed class LedgerAccount
{
    public long Id { get; set; }
    public AccountKind Kind { get; set; }
    public long? SellerId { get; set; }
    public long? WebmasterId { get; set; }

    /// <summary>
    /// The sum of the account's lines, kept by a trigger on journal_lines in the transaction of each posting
    /// (LedgerTriggers.KeepBalances), so a seller's wallet or a webmaster's balance is read in O(1) however long
    /// its history. Null until an account's first line, and always for the platform's accounts: every posting
    /// touches those, and a running total would make all postings queue on its row lock; read their sum instead.
    /// </summary>
    public long? BalanceFen { get; private set; }
}

internal sealed class LedgerAccountConfiguration : IEntityTypeConfiguration<LedgerAccount>
{
    public void Configure(EntityTypeBuilder<LedgerAccount> b)
    {
        b.Property(a => a.Kind).HasConversion<string>().HasMaxLength(24);
        // One account per kind and owner; NULLS NOT DISTINCT so platform accounts are unique too.
        b.HasIndex(a => new { a.Kind, a.SellerId, a.WebmasterId }).IsUnique().AreNullsDistinct(false);
        b.HasOne<Seller>().WithMany().HasForeignKey(a => a.SellerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Webmaster>().WithMany().HasForeignKey(a => a.WebmasterId).OnDelete(DeleteBehavior.Restrict);
        b.ToTable(t => t.HasCheckConstraint("ck_ledger_accounts_owner",
            "(kind IN ('SellerWallet','SellerCommissionDue') AND seller_id IS NOT NULL AND webmaster_id IS NULL)"
            + " OR (kind IN ('WebmasterPending','WebmasterAvailable','WebmasterCpcPending','WebmasterPayoutRequested','WebmasterPaidOut') AND webmaster_id IS NOT NULL AND seller_id IS NULL)"
            + " OR (kind IN ('PlatformRevenue','PlatformSubsidy','External') AND seller_id IS NULL AND webmaster_id IS NULL)"));
    }
}

/// <summary>
/// One balanced movement of money. Its lines sum to zero (a deferred constraint trigger in the database
/// refuses any entry that does not). Corrections are new entries, never edits.
/// </summary>
public sealed class JournalEntry
{
    public long Id { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public string Kind { get; set; } = "";
    public string Description { get; set; } = "";

    /// <summary>Makes posting idempotent: the same business event can never post twice.</summary>
    public string IdempotencyKey { get; set; } = "";

    public long? ActorUserId { get; set; }

    /// <summary>The order, commission, payout or CPC charge the entry is about, for statements.</summary>
    public long? OrderId { get; set; }
    public long? PayoutRequestId { get; set; }

    public List<JournalLine> Lines { get; } = [];
}

internal sealed class JournalEntryConfiguration : IEntityTypeConfiguration<JournalEntry>
{
    public void Configure(EntityTypeBuilder<JournalEntry> b)
    {
        b.Property(e => e.Kind).HasMaxLength(32);
        b.Property(e => e.Description).HasMaxLength(500);
        b.Property(e => e.IdempotencyKey).HasMaxLength(128);
        b.HasIndex(e => e.IdempotencyKey).IsUnique();
        b.HasIndex(e => e.OccurredAt);
        b.HasIndex(e => e.OrderId);
        b.HasOne<Orders.Order>().WithMany().HasForeignKey(e => e.OrderId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Payouts.PayoutRequest>().WithMany().HasForeignKey(e => e.PayoutRequestId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AllianceUser>().WithMany().HasForeignKey(e => e.ActorUserId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>One side of a journal entry: a signed amount on one account (debit positive, credit negative).</summary>
public sealed class JournalLine
{
    public long Id { get; set; }
    public long EntryId { get; set; }
    public long AccountId { get; set; }
    public long AmountFen { get; set; }
}

internal sealed class JournalLineConfiguration : IEntityTypeConfiguration<JournalLine>
{
    public void Configure(EntityTypeBuilder<JournalLine> b)
    {
        b.HasIndex(l => l.EntryId);
        b.HasIndex(l => l.AccountId).IncludeProperties(l => l.AmountFen);
        b.HasOne<JournalEntry>().WithMany(e => e.Lines).HasForeignKey(l => l.EntryId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<LedgerAccount>().WithMany().HasForeignKey(l => l.AccountId).OnDelete(DeleteBehavior.Restrict);
        b.ToTable(t => t.HasCheckConstraint("ck_journal_lines_amount_fen", "amount_fen <> 0"));
    }
}
