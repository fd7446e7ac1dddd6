using TaobaoAlliance.Attribution;
using TaobaoAlliance.Attribution.Ledger;
using TaobaoAlliance.Application.Ledger;

namespace TaobaoAlliance.Application.Reports;

/// <summary>A webmaster's four balances, each the sum of its ledger account's lines.</summary>
public sealed record WebmasterBalances(Money Pending, Money Available, Money PayoutRequested, Money PaidOut);

/// <summary>A webmaster's ledger accounts as the balance page, the home page and the API show them.</summary>
public sealed class WebmasterAccounts(LedgerWriter ledger)
{
    public async Task<WebmasterBalances> BalancesAsync(long webmasterId, CancellationToken ct = default)
    {
        var balances = await ledger.WebmasterBalancesAsync(webmasterId, ct);
        Money Of(AccountKind kind) => balances.GetValueOrDefault(kind, Money.Zero);
        return new(Of(AccountKind.WebmasterPending), Of(AccountKind.WebmasterAvailable),
            Of(AccountKind.WebmasterPayoutRequested), Of(AccountKind.WebmasterPaidOut));
    }
}
