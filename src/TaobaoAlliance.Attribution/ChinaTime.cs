using System.Globalization;

namespace TaobaoAlliance.Attribution;

/// <summary>
/// The marketplace's clock: China Standard Time (UTC+8, no daylight saving), whatever the server's time
/// zone. Days of reports and budgets, times shown on pages and typed into forms are all China time; a
/// click at 23:30 UTC is on the next day. Npgsql writes only UTC to timestamptz, so instants leave here in UTC.
/// </summary>
public static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>How a <c>datetime-local</c> input sends its value: to the minute, or with seconds and milliseconds.</summary>
    private static readonly string[] LocalInputFormats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.fff"];

    public static DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(Offset).DateTime);

    public static DateOnly Today(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return DayOf(clock.GetUtcNow());
    }

    /// <summary>The first instant of a China day, in UTC.</summary>
    public static DateTimeOffset StartOf(DateOnly day) => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), Offset).ToUniversalTime();

    /// <summary>Wall-clock time to the minute, as pages show it.</summary>
    public static string Format(DateTimeOffset at) => at.ToOffset(Offset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>For the <c>datetime</c> attribute of <c>&lt;time&gt;</c>.</summary>
    public static string Iso(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>An instant as a <c>datetime-local</c> field shows it: China wall-clock time, to the minute.</summary>
    public static string ToLocalInput(DateTimeOffset at) => at.ToOffset(Offset).ToString(LocalInputFormats[0], CultureInfo.InvariantCulture);

    /// <summary>The instant a <c>datetime-local</c> field means (its wall-clock time in China); null when it is not one.</summary>
    public static DateTimeOffset? ParseLocalInput(string? text) =>
        DateTime.TryParseExact(text?.Trim(), LocalInputFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Offset).ToUniversalTime()
            : null;
}
