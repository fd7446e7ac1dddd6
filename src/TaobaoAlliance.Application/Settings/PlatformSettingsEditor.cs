using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;

namespace TaobaoAlliance.Application.Settings;

/// <summary>A setting as it stands: the value in force, the configured default, and who overrode it when.</summary>
public sealed record SettingView(SettingField Field, long Current, long Default, string? OverriddenBy, DateTimeOffset? OverriddenAt)
{
    public bool IsOverridden => OverriddenAt is not null;
}

/// <summary>What an admin typed for each setting (by property name), in the units the page shows.</summary>
public sealed record SettingsChange(IReadOnlyDictionary<string, string?> Values, long AdminUserId);

/// <summary>Why a value was refused: not a number of the unit's precision, outside the option's range, or against another rule of the options.</summary>
public enum SettingRefusal { NotANumber, OutOfRange, BreaksOptionsRule }

/// <summary>One refused value: the setting (null for a rule of the options as a whole) and the options' own message for such a rule.</summary>
public sealed record SettingProblem(SettingField? Field, SettingRefusal Refusal, string? RuleMessage = null);

/// <summary>The settings saved (how many changed; whether they apply from the next request), or every value refused.</summary>
public sealed record SettingsSaveOutcome(IReadOnlyList<SettingProblem> Problems, int Changed, bool AppliesNow)
{
    public bool Succeeded => Problems.Count == 0;
}

/// <summary>Why a reset was refused.</summary>
public enum SettingResetRefusal { NoSuchSetting, AlreadyDefault }

/// <summary>The setting put back to its default, or why not.</summary>
public sealed record SettingResetOutcome(SettingField? Field, SettingResetRefusal? Refusal)
{
    public bool Succeeded => Refusal is null;
}

/// <summary>
/// The platform's defaults (<see cref="AllianceOptions"/>) as admins change them, checked against the same
/// ranges as at start-up. A change is stored as a <c>platform_settings</c> override (key <c>Alliance:Property</c>)
/// with an audit row; the configuration source is reloaded, so the next request runs on the new values.
/// </summary>
public sealed class PlatformSettingsEditor(AllianceDbContext db, AuditTrail audit, IOptionsSnapshot<AllianceOptions> options, IConfiguration configuration,
    TimeProvider clock, ILogger<PlatformSettingsEditor> logger)
{
    public async Task<IReadOnlyList<SettingView>> ReadAsync(CancellationToken ct)
    {
        var keys = SettingField.All.Select(f => f.Key).ToList();
        var overrides = await db.PlatformSettings.AsNoTracking().Where(s => keys.Contains(s.Key))
            .Select(s => new { s.Key, s.UpdatedAt, By = db.Users.Where(u => u.Id == s.UpdatedByUserId).Select(u => u.DisplayName).FirstOrDefault() })
            .ToDictionaryAsync(s => s.Key, ct);
        var compiled = new AllianceOptions();
        return SettingField.All.Select(f =>
        {
            var configured = PlatformSettingsConfiguration.ConfiguredDefault(configuration, f.Key);
            var fallback = long.TryParse(configured, NumberStyles.Integer, CultureInfo.InvariantCulture, out var d) ? d : f.ValueOf(compiled);
            var row = overrides.GetValueOrDefault(f.Key);
            return new SettingView(f, f.ValueOf(options.Value), fallback, row?.By, row?.UpdatedAt);
        }).ToList();
    }

    /// <summary>Stores every value that differs from the one in force, all or none.</summary>
    public async Task<SettingsSaveOutcome> SaveAsync(SettingsChange request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var current = options.Value;
        var candidate = Copy(current);
        var problems = new List<SettingProblem>();
        foreach (var field in SettingField.All)
        {
            if (field.Parse(request.Values.GetValueOrDefault(field.Property)) is not { } value)
            {
                problems.Add(new(field, SettingRefusal.NotANumber));
                continue;
            }
            if (value < field.Min || value > field.Max)
            {
                problems.Add(new(field, SettingRefusal.OutOfRange));
                continue;
            }
            field.Info.SetValue(candidate, Convert.ChangeType(value, field.Info.PropertyType, CultureInfo.InvariantCulture));
        }
        // The same check as at start-up, in case AllianceOptions gains a rule the fields do not know.
        var results = new List<ValidationResult>();
        if (problems.Count == 0 && !Validator.TryValidateObject(candidate, new ValidationContext(candidate), results, validateAllProperties: true))
        {
            problems.AddRange(results.Select(r => new SettingProblem(null, SettingRefusal.BreaksOptionsRule, r.ErrorMessage)));
        }
        if (problems.Count > 0) return new(problems, 0, false);

        var changes = SettingField.All.Where(f => f.ValueOf(candidate) != f.ValueOf(current))
            .Select(f => new { key = f.Key, from = f.ValueOf(current), to = f.ValueOf(candidate) })
            .ToList();
        if (changes.Count == 0) return new([], 0, false);

        var now = clock.GetUtcNow();
        var adminId = request.AdminUserId;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            foreach (var change in changes)
            {
                var value = change.to.ToString(CultureInfo.InvariantCulture);
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO platform_settings (key, value, updated_at, updated_by_user_id) VALUES ({change.key}, {value}, {now}, {adminId})
                    ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by_user_id = excluded.updated_by_user_id
                    """, ct);
            }
            audit.Record(adminId, "settings.update", "platform_setting", AllianceOptions.Section, new { changes });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        logger.LogInformation("Admin {AdminUserId} changed settings {Keys}", adminId, changes.Select(c => c.key).ToList());
        return new([], changes.Count, Reloaded());
    }

    /// <summary>Removes an override: the setting goes back to its configured default.</summary>
    public async Task<SettingResetOutcome> ResetAsync(string? property, long adminUserId, CancellationToken ct)
    {
        if (SettingField.All.FirstOrDefault(f => f.Property == property) is not { } field) return new(null, SettingResetRefusal.NoSuchSetting);
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var removed = await db.PlatformSettings.Where(s => s.Key == field.Key).ExecuteDeleteAsync(ct);
            if (removed == 0) return new(field, SettingResetRefusal.AlreadyDefault);
            audit.Record(adminUserId, "settings.reset", "platform_setting", field.Key,
                new { key = field.Key, from = field.ValueOf(options.Value) });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        logger.LogInformation("Admin {AdminUserId} reset setting {Key} to its default", adminUserId, field.Key);
        Reloaded();
        return new(field, null);
    }

    private bool Reloaded()
    {
        if (PlatformSettingsConfiguration.Reload(configuration) > 0) return true;
        logger.LogWarning("Platform settings were saved but no platform-settings configuration source is registered: they apply after a restart");
        return false;
    }

    private static AllianceOptions Copy(AllianceOptions source)
    {
        var copy = new AllianceOptions();
        foreach (var field in SettingField.All) field.Info.SetValue(copy, field.Info.GetValue(source));
        return copy;
    }
}
