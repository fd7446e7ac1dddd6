using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Ledger;

namespace TaobaoAlliance.Application.Ledger;

public enum PostResult { Posted, AlreadyPosted, InsufficientFunds }

/// <summary>What an entry is about, for statements and the audit trail.</summary>
public sealed record EntryContext(long? OrderId = null, long? PayoutRequestId = null, long? ActorUserId = null);

/// <summary>
/// Writes balanced entries into the journal and reads balances back. Call it inside the
/// caller's transaction: the entry commits or rolls back with the business change it records.
/// </summary>
public sealed class LedgerWriter(AllianceDbContext db, LedgerAccountIds accountIds, TimeProvider clock)
{
    /// <summary>
    /// Posts <paramref name="draft"/> once (its idempotency key makes a second post a no-op). Accounts in
    /// <paramref name="guarded"/> may not end below zero: the posting is refused instead.
    /// </summary>
    public async Task<PostResult> PostAsync(EntryDraft draft, EntryContext? context = null,
        IReadOnlyCollection<AccountKind>? guarded = null, CancellationToken ct = default)
    {
        if (db.Database.CurrentTransaction is null) throw new InvalidOperationException("Post ledger entries inside a transaction");
        var accounts = await ResolveAsync(draft.Lines.Select(l => l.Account).Distinct().ToList(), ct);
        var checkedLines = draft.Lines.Where(l => l.Amount.Fen < 0 && guarded?.Contains(l.Account.Kind) == true).ToList();
        // Lock only the accounts whose balance is checked, in id order: concurrent postings that take money
        // out of the same account queue (and see every earlier posting) without deadlocking. Accounts that
        // only receive need no lock — lines are appended, never updated — so the platform's revenue account
        // does not make every click and order of the platform wait for each other.
        var ids = checkedLines.Select(l => accounts[l.Account]).Order().ToArray();
        if (ids.Length > 0) await db.Database.ExecuteSqlAsync($"SELECT id FROM ledger_accounts WHERE id = ANY({ids}) ORDER BY id FOR UPDATE", ct);
        if (await db.JournalEntries.AnyAsync(e => e.IdempotencyKey == draft.IdempotencyKey, ct)) return PostResult.AlreadyPosted;

        foreach (var line in checkedLines)
        {
            var balance = await BalanceAsync(accounts[line.Account], ct);
            if (balance + line.Amount.Fen < 0) return PostResult.InsufficientFunds;
        }

        var entry = new JournalEntry
        {
            OccurredAt = clock.GetUtcNow(),
            Kind = draft.Kind,
            Description = draft.Description,
            IdempotencyKey = draft.IdempotencyKey,
            OrderId = context?.OrderId,
            PayoutRequestId = context?.PayoutRequestId,
            ActorUserId = context?.ActorUserId,
        };
        entry.Lines.AddRange(draft.Lines.Select(l => new JournalLine { AccountId = accounts[l.Account], AmountFen = l.Amount.Fen }));
        db.JournalEntries.Add(entry);
        await db.SaveChangesAsync(ct);
        return PostResult.Posted;
    }

    /// <summary>
    /// Locks <paramref name="account"/> until the caller's transaction ends and returns its balance: a caller that
    /// decides many postings against one balance (the campaign grain's batch) reads it once and sees every earlier posting.
    /// </summary>
    public async Task<Money> LockedBalanceAsync(AccountRef account, CancellationToken ct = default)
    {
        if (db.Database.CurrentTransaction is null) throw new InvalidOperationException("Lock ledger accounts inside a transaction");
        var id = (await ResolveAsync([account], ct))[account];
        await db.Database.ExecuteSqlAsync($"SELECT id FROM ledger_accounts WHERE id = {id} FOR UPDATE", ct);
        return new Money(await BalanceAsync(id, ct));
    }

    /// <summary>
    /// Posts many new entries at once, all or none, in one statement for their rows (and so one run of the balance
    /// trigger). The guard still holds: an account of a <paramref name="guarded"/> kind that the entries would take
    /// below zero refuses the whole batch (the caller decided against a balance it read under
    /// <see cref="LockedBalanceAsync"/>, so a refusal means its decision was wrong and must not be written). An entry
    /// already posted fails it too, on the idempotency key's unique index: the caller said they were new.
    /// </summary>
    public async Task PostManyAsync(IReadOnlyList<EntryDraft> drafts, IReadOnlyCollection<AccountKind> guarded, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(drafts);
        ArgumentNullException.ThrowIfNull(guarded);
        if (db.Database.CurrentTransaction is null) throw new InvalidOperationException("Post ledger entries inside a transaction");
        if (drafts.Count == 0) return;
        var accounts = await ResolveAsync(drafts.SelectMany(d => d.Lines).Select(l => l.Account).Distinct().ToList(), ct);
        // Every party account the entries touch is locked up front, in id order: the balance trigger updates each one,
        // and two batches paying the same webmasters in different orders would otherwise deadlock.
        var parties = accounts.Where(a => a.Key.SellerId is not null || a.Key.WebmasterId is not null).Select(a => a.Value).Order().ToArray();
        if (parties.Length > 0) await db.Database.ExecuteSqlAsync($"SELECT id FROM ledger_accounts WHERE id = ANY({parties}) ORDER BY id FOR UPDATE", ct);

        foreach (var (account, change) in drafts.SelectMany(d => d.Lines).Where(l => guarded.Contains(l.Account.Kind))
            .GroupBy(l => l.Account).Select(g => (g.Key, g.Sum(l => l.Amount.Fen))))
        {
            if (change < 0 && await BalanceAsync(accounts[account], ct) + change < 0)
                throw new InvalidOperationException($"A batch of ledger entries would take {account.Kind} below zero");
        }

        var lines = drafts.SelectMany(d => d.Lines.Select(l => (d.IdempotencyKey, Account: accounts[l.Account], l.Amount.Fen))).ToList();
        var (kinds, keys, descriptions) = (drafts.Select(d => d.Kind).ToArray(), drafts.Select(d => d.IdempotencyKey).ToArray(), drafts.Select(d => d.Description).ToArray());
        var (lineKeys, lineAccounts, lineFen) = (lines.Select(l => l.IdempotencyKey).ToArray(), lines.Select(l => l.Account).ToArray(), lines.Select(l => l.Fen).ToArray());
        // The lines find their entry's new id by its idempotency key (unique); the lines' foreign key is checked at the end of the statement.
        await db.Database.ExecuteSqlAsync($"""
            WITH entries AS (
                INSERT INTO journal_entries (occurred_at, kind, idempotency_key, description)
                SELECT {clock.GetUtcNow()}, * FROM unnest({kinds}::text[], {keys}::text[], {descriptions}::text[])
                RETURNING id, idempotency_key)
            INSERT INTO journal_lines (entry_id, account_id, amount_fen)
            SELECT e.id, l.account_id, l.amount_fen
            FROM unnest({lineKeys}::text[], {lineAccounts}::bigint[], {lineFen}::bigint[]) AS l(idempotency_key, account_id, amount_fen)
            JOIN entries e USING (idempotency_key)
            """, ct);
    }

    /// <summary>The balance of one account (zero when it has no lines yet).</summary>
    public async Task<Money> BalanceAsync(AccountRef account, CancellationToken ct = default)
    {
        var id = await db.LedgerAccounts
            .Where(a => a.Kind == account.Kind && a.SellerId == account.SellerId && a.WebmasterId == account.WebmasterId)
            .Select(a => (long?)a.Id).SingleOrDefaultAsync(ct);
        return id is null ? Money.Zero : new Money(await BalanceAsync(id.Value, ct));
    }

    /// <summary>Every balance of a webmaster by account kind.</summary>
    public async Task<IReadOnlyDictionary<AccountKind, Money>> WebmasterBalancesAsync(long webmasterId, CancellationToken ct = default)
    {
        var balances = await db.LedgerAccounts.Where(a => a.WebmasterId == webmasterId)
            .Select(a => new { a.Kind, Fen = a.BalanceFen ?? 0 }) // a party's account: kept, null only before its first line
            .ToListAsync(ct);
        return balances.ToDictionary(b => b.Kind, b => new Money(b.Fen));
    }

    /// <summary>The kept balance of a party's account; a platform account's is the sum of its lines (see <see cref="LedgerAccount.BalanceFen"/>).</summary>
    private Task<long> BalanceAsync(long accountId, CancellationToken ct) =>
        db.LedgerAccounts.Where(a => a.Id == accountId)
            .Select(a => a.BalanceFen ?? db.JournalLines.Where(l => l.AccountId == a.Id).Sum(l => (long?)l.AmountFen) ?? 0)
            .SingleAsync(ct);

    private async Task<Dictionary<AccountRef, long>> ResolveAsync(IReadOnlyList<AccountRef> refs, CancellationToken ct)
    {
        var result = new Dictionary<AccountRef, long>();
        foreach (var account in refs)
        {
            if (accountIds.TryGet(account, out var known))
            {
                result[account] = known;
                continue;
            }
            var kind = account.Kind.ToString();
            // Accounts are created on first use; the unique index (NULLS NOT DISTINCT) makes this race-free.
            var created = await db.Database.SqlQuery<long>(
                $"INSERT INTO ledger_accounts (kind, seller_id, webmaster_id) VALUES ({kind}, {account.SellerId}, {account.WebmasterId}) ON CONFLICT DO NOTHING RETURNING id AS \"Value\"")
                .ToListAsync(ct);
            if (created.Count == 1)
            {
                // Ours, and uncommitted: not remembered, since the caller's transaction may still roll it back.
                result[account] = created[0];
                continue;
            }
            result[account] = await db.LedgerAccounts
                .Where(a => a.Kind == account.Kind && a.SellerId == account.SellerId && a.WebmasterId == account.WebmasterId)
                .Select(a => a.Id).SingleAsync(ct);
            // A conflict means the row was committed by someone else (ON CONFLICT waits for the other transaction): it stays.
            accountIds.Remember(account, result[account]);
        }
        return result;
    }
}

/// <summary>
/// The ids of ledger accounts known to be committed. An account row is never changed or deleted once
/// it exists, so its id can be remembered for the life of the app: postings then skip two round trips
/// per account, which matters inside the CPC charge, where the campaign's budget row is locked.
/// </summary>
public sealed class LedgerAccountIds
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<AccountRef, long> ids = new();

    public bool TryGet(AccountRef account, out long id) => ids.TryGetValue(account, out id);

    public void Remember(AccountRef account, long id) => ids.TryAdd(account, id);
}
