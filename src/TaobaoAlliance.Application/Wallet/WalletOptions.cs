using System.ComponentModel.DataAnnotations;

namespace TaobaoAlliance.Application.Wallet;

/// <summary>Settings of wallet deposits (section <c>Wallet</c>).</summary>
public sealed class WalletOptions
{
    public const string Section = "Wallet";

    /// <summary>How long a deposit waits for the payment service before it is given up as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan GatewayTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The smallest deposit, in fen (¥1).</summary>
    [Range(1, long.MaxValue)]
    public long MinDepositFen { get; set; } = 100;

    /// <summary>The largest deposit, in fen (¥1,000,000).</summary>
    [Range(1, long.MaxValue)]
    public long MaxDepositFen { get; set; } = 100_000_000;
}
