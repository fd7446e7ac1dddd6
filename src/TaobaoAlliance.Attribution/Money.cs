using System.Globalization;

namespace TaobaoAlliance.Attribution;

/// <summary>An amount of CNY in whole fen (1 yuan = 100 fen). Shown as ¥12.34.</summary>
public readonly record struct Money(long Fen) : IComparable<Money>
{
    public static readonly Money Zero = new(0);

    public static Money FromYuan(decimal yuan) => new((long)Math.Round(yuan * 100m, MidpointRounding.AwayFromZero));

    /// <summary>This amount times a rate in basis points, rounded half away from zero to whole fen.</summary>
    public Money Times(Rate rate) => new((long)Math.Round(Fen * (decimal)rate.BasisPoints / 10_000m, MidpointRounding.AwayFromZero));

    public decimal Yuan => Fen / 100m;

    /// <summary>
    /// A total the database summed as <c>numeric</c> (reports sum money that way, so no count of rows can
    /// overflow a bigint inside PostgreSQL). The Orders API's caps keep any real total far inside a long.
    /// </summary>
    public static Money OfSum(decimal fen) => new(decimal.ToInt64(fen));

    public static Money operator +(Money a, Money b) => new(checked(a.Fen + b.Fen));
    public static Money operator -(Money a, Money b) => new(checked(a.Fen - b.Fen));
    public static Money operator -(Money a) => new(-a.Fen);
    public static bool operator <(Money a, Money b) => a.Fen < b.Fen;
    public static bool operator >(Money a, Money b) => a.Fen > b.Fen;
    public static bool operator <=(Money a, Money b) => a.Fen <= b.Fen;
    public static bool operator >=(Money a, Money b) => a.Fen >= b.Fen;
    public static Money Min(Money a, Money b) => a <= b ? a : b;
    public static Money Max(Money a, Money b) => a >= b ? a : b;
    public int CompareTo(Money other) => Fen.CompareTo(other.Fen);

    public override string ToString() =>
        (Fen < 0 ? "-¥" : "¥") + (Math.Abs((decimal)Fen) / 100m).ToString("#,0.00", CultureInfo.InvariantCulture);
}

/// <summary>A percentage held as basis points (1 % = 100), so rates like 5.25 % stay exact.</summary>
public readonly record struct Rate(int BasisPoints)
{
    public static Rate FromPercent(decimal percent) => new((int)Math.Round(percent * 100m, MidpointRounding.AwayFromZero));

    public decimal Percent => BasisPoints / 100m;

    public override string ToString() => Percent.ToString("0.##", CultureInfo.InvariantCulture) + " %";
}
