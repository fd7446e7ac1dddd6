using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Data;

namespace TaobaoAlliance.Application.Wallet;

/// <summary>One movement of a seller's wallet with the balance right after it.</summary>
public sealed record WalletLine(long EntryId, DateTimeOffset OccurredAt, string Kind, string Description, string IdempotencyKey,
    long? OrderId, string? ExternalOrderId, long AmountFen, long BalanceFen);

/// <summary>
/// The wallet's statement straight from the ledger: every journal line on the seller's wallet account,
/// newest first, each with the running balance (the sum of that line and every earlier one).
/// </summary>
public sealed class WalletStatement(AllianceDbContext db)
{
    private async Task<long?> AccountIdAsync(long sellerId, CancellationToken ct) =>
        await db.LedgerAccounts.Where(a => a.Kind == AccountKind.SellerWallet && a.SellerId == sellerId)
            .Select(a => (long?)a.Id).SingleOrDefaultAsync(ct);

    public async Task<int> CountAsync(long sellerId, CancellationToken ct) =>
        await AccountIdAsync(sellerId, ct) is { } id ? await db.JournalLines.CountAsync(l => l.AccountId == id, ct) : 0;

    /// <summary>One page of the statement, newest first.</summary>
    public async Task<IReadOnlyList<WalletLine>> PageAsync(long sellerId, int skip, int take, CancellationToken ct)
    {
        if (await AccountIdAsync(sellerId, ct) is not { } accountId) return [];
        // The running balance is a window sum over the whole account, in posting order, before the page is cut:
        // the journal is append-only, so the balance after a line never changes once it is written.
        return await db.Database.SqlQuery<WalletLine>($"""
            SELECT x.entry_id, x.occurred_at, x.kind, x.description, x.idempotency_key, x.order_id,
                   o.external_order_id, x.amount_fen, x.balance_fen
            FROM (
                SELECT e.id AS entry_id, e.occurred_at, e.kind, e.description, e.idempotency_key, e.order_id, l.amount_fen,
                       (sum(l.amount_fen) OVER (ORDER BY e.occurred_at, e.id, l.id))::bigint AS balance_fen
                FROM journal_lines l
                JOIN journal_entries e ON e.id = l.entry_id
                WHERE l.account_id = {accountId}
            ) x
            LEFT JOIN orders o ON o.id = x.order_id
            ORDER BY x.occurred_at DESC, x.entry_id DESC
            LIMIT {take} OFFSET {skip}
            """).ToListAsync(ct);
    }
}
