using System.ComponentModel.DataAnnotations;

namespace TaobaoAlliance.Application.Hooks;

/// <summary>Settings of postback and webhook delivery (section <c>Hooks</c>).</summary>
public sealed class HookOptions
{
    public const string Section = "Hooks";

    /// <summary>Runs the sender on this node (every node may: they claim messages with SKIP LOCKED).</summary>
    public bool DeliveryEnabled { get; set; } = true;

    /// <summary>How often an idle sender looks for due messages.</summary>
    [Range(50, 60_000)] public int PollMilliseconds { get; set; } = 1_000;

    /// <summary>Messages claimed (and sent concurrently) per round.</summary>
    [Range(1, 500)] public int BatchSize { get; set; } = 20;

    /// <summary>One try's whole time, connect included: a slow receiver must not hold the sender.</summary>
    [Range(1, 60)] public int TimeoutSeconds { get; set; } = 10;

    /// <summary>How long a message is retried before it is given up.</summary>
    [Range(1, 168)] public int GiveUpAfterHours { get; set; } = 24;

    /// <summary>The wait after the first failure; it doubles per failure up to <see cref="LongestRetryMinutes"/>.</summary>
    [Range(1, 3_600)] public int FirstRetrySeconds { get; set; } = 30;

    [Range(1, 1_440)] public int LongestRetryMinutes { get; set; } = 60;

    /// <summary>A claimed message is tried again after this if its sender died mid-try (the claim is a lease).</summary>
    [Range(5, 3_600)] public int LeaseSeconds { get; set; } = 120;

    /// <summary>The <c>wallet.low</c> webhook fires when a seller's wallet falls below this (fen; ¥100 by default).</summary>
    [Range(1, long.MaxValue)] public long WalletLowFen { get; set; } = 10_000;
}
