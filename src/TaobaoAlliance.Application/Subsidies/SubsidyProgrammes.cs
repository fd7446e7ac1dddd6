using Microsoft.EntityFrameworkCore;
using TaobaoAlliance.Application.Audit;
using TaobaoAlliance.Attribution;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Subsidies;

namespace TaobaoAlliance.Application.Subsidies;

/// <summary>A subsidy programme as the admin wants it: a bonus on the webmaster's commission, a period, an optional category and a cap.</summary>
public sealed record SubsidyRequest(long ActorUserId, string Name, Rate Bonus, DateTimeOffset StartsAt, DateTimeOffset EndsAt, int? CategoryId, Money Cap);

/// <summary>Why a programme was not saved or ended; nothing was written.</summary>
public enum SubsidyRefusal { NoSuchProgramme, NameMissing, BonusOutOfRange, EndsBeforeStart, EndsInPast, CapOutOfRange, NoSuchCategory, AlreadyStarted, AlreadyEnded }

/// <summary>Where a programme is in its life, at a moment.</summary>
public enum SubsidyStatus { Scheduled, Running, CapReached, Ended }

/// <summary>The programme saved (its id), or every reason it was not.</summary>
public sealed record SubsidyOutcome(long? ProgrammeId, IReadOnlyList<SubsidyRefusal> Refusals)
{
    public bool Succeeded => Refusals.Count == 0;

    public static SubsidyOutcome Refused(params SubsidyRefusal[] refusals) => new(null, refusals);
}

/// <summary>A programme as the admin's list shows it, with its spend against the cap as the database holds it now.</summary>
public sealed record SubsidyView(long Id, string Name, Rate Bonus, DateTimeOffset StartsAt, DateTimeOffset EndsAt, int? CategoryId, string? CategoryName,
    Money Cap, Money Spent, SubsidyStatus Status)
{
    public Money Left => Cap - Spent;

    /// <summary>Only a programme that has not started can be edited: what it promised is what running orders earned.</summary>
    public bool Editable => Status == SubsidyStatus.Scheduled;

    public bool Endable => Status != SubsidyStatus.Ended;
}

/// <summary>
/// The admin's subsidy programmes (product.md, Subsidy): create; edit only before the start; end (now, or before it
/// starts: cancelled). The spend is raised by order payments under a lock on the programme (OrderPayments), never past
/// the cap (and ck_subsidy_programmes_cap_fen refuses it if it were). Every change commits with its audit row.
/// </summary>
public sealed class SubsidyProgrammes(AllianceDbContext db, AuditTrail audit, TimeProvider clock)
{
    /// <summary>The largest cap accepted (a typo guard: ¥100 million).</summary>
    public static readonly Money MaxCap = Money.FromYuan(100_000_000m);

    public static SubsidyStatus StatusOf(SubsidyProgramme p, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(p);
        return !p.IsActive || now >= p.EndsAt ? SubsidyStatus.Ended
            : now < p.StartsAt ? SubsidyStatus.Scheduled
            : p.SpentFen >= p.CapFen ? SubsidyStatus.CapReached
            : SubsidyStatus.Running;
    }

    /// <summary>Every programme, the newest period first.</summary>
    public async Task<IReadOnlyList<SubsidyView>> ListAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var rows = await db.SubsidyProgrammes.AsNoTracking().OrderByDescending(p => p.StartsAt).ThenByDescending(p => p.Id).ToListAsync(ct);
        var categoryIds = rows.Where(r => r.CategoryId != null).Select(r => r.CategoryId!.Value).Distinct().ToList();
        var categories = await db.Categories.Where(c => categoryIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.NameEn, ct);
        return [.. rows.Select(p => View(p, now, p.CategoryId is { } c ? categories.GetValueOrDefault(c) : null))];
    }

    public async Task<SubsidyView?> FindAsync(long id, CancellationToken ct = default) =>
        await db.SubsidyProgrammes.AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, ct) is { } p ? View(p, clock.GetUtcNow(), null) : null;

    private static SubsidyView View(SubsidyProgramme p, DateTimeOffset now, string? category) =>
        new(p.Id, p.Name, new Rate(p.BonusBp), p.StartsAt, p.EndsAt, p.CategoryId, category, new Money(p.CapFen), new Money(p.SpentFen), StatusOf(p, now));

    /// <summary>Creates a programme (<paramref name="programmeId"/> null) or edits one that has not started.</summary>
    public async Task<SubsidyOutcome> SaveAsync(long? programmeId, SubsidyRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.GetUtcNow();
        SubsidyProgramme? programme = null;
        if (programmeId is { } id)
        {
            programme = await db.SubsidyProgrammes.SingleOrDefaultAsync(p => p.Id == id, ct);
            if (programme is null) return SubsidyOutcome.Refused(SubsidyRefusal.NoSuchProgramme);
            var status = StatusOf(programme, now);
            if (status == SubsidyStatus.Ended) return SubsidyOutcome.Refused(SubsidyRefusal.AlreadyEnded);
            if (status != SubsidyStatus.Scheduled) return SubsidyOutcome.Refused(SubsidyRefusal.AlreadyStarted);
        }
        var refusals = new List<SubsidyRefusal>();
        var name = (request.Name ?? "").Trim();
        if (name.Length == 0 || name.Length > 100) refusals.Add(SubsidyRefusal.NameMissing);
        if (request.Bonus.BasisPoints is < 1 or > 10_000) refusals.Add(SubsidyRefusal.BonusOutOfRange);
        if (request.EndsAt <= request.StartsAt) refusals.Add(SubsidyRefusal.EndsBeforeStart);
        else if (request.EndsAt <= now) refusals.Add(SubsidyRefusal.EndsInPast);
        if (request.Cap.Fen <= 0 || request.Cap > MaxCap) refusals.Add(SubsidyRefusal.CapOutOfRange);
        if (request.CategoryId is { } category && !await db.Categories.AnyAsync(c => c.Id == category, ct)) refusals.Add(SubsidyRefusal.NoSuchCategory);
        if (refusals.Count > 0) return new(programmeId, refusals);

        var details = new { Name = name, request.Bonus.BasisPoints, request.StartsAt, request.EndsAt, request.CategoryId, CapFen = request.Cap.Fen };
        if (programme is null)
        {
            programme = new SubsidyProgramme
            {
                Name = name, BonusBp = request.Bonus.BasisPoints, StartsAt = request.StartsAt, EndsAt = request.EndsAt,
                CategoryId = request.CategoryId, CapFen = request.Cap.Fen, IsActive = true,
            };
            db.SubsidyProgrammes.Add(programme);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            audit.Record(request.ActorUserId, "subsidy.create", "subsidy_programme", programme.Id, details);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return new(programme.Id, []);
        }

        // Guarded in the database too: an order paid at the start takes the programme's lock, and this update only
        // applies while the programme has not started and nothing was spent on it.
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var before = new { programme.Name, programme.BonusBp, programme.StartsAt, programme.EndsAt, programme.CategoryId, programme.CapFen };
            var changed = await db.SubsidyProgrammes
                .Where(p => p.Id == programme.Id && p.IsActive && p.StartsAt > now && p.SpentFen == 0)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.Name, name).SetProperty(p => p.BonusBp, request.Bonus.BasisPoints)
                    .SetProperty(p => p.StartsAt, request.StartsAt).SetProperty(p => p.EndsAt, request.EndsAt)
                    .SetProperty(p => p.CategoryId, request.CategoryId).SetProperty(p => p.CapFen, request.Cap.Fen), ct);
            if (changed == 0) return SubsidyOutcome.Refused(SubsidyRefusal.AlreadyStarted);
            audit.Record(request.ActorUserId, "subsidy.edit", "subsidy_programme", programme.Id, new { Before = before, After = details });
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        return new(programme.Id, []);
    }

    /// <summary>
    /// Ends a programme now: no order paid from now on earns its bonus; what it granted stays granted. A programme that
    /// has not started is cancelled (it keeps its period, marked inactive).
    /// </summary>
    public async Task<SubsidyOutcome> EndAsync(long programmeId, long actorUserId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The lock orders the end after any order granting from the programme right now.
        var programme = await db.SubsidyProgrammes.FromSql($"SELECT * FROM subsidy_programmes WHERE id = {programmeId} FOR UPDATE").SingleOrDefaultAsync(ct);
        if (programme is null) return SubsidyOutcome.Refused(SubsidyRefusal.NoSuchProgramme);
        if (StatusOf(programme, now) == SubsidyStatus.Ended) return SubsidyOutcome.Refused(SubsidyRefusal.AlreadyEnded);
        var started = now >= programme.StartsAt;
        programme.IsActive = false;
        if (started && now > programme.StartsAt) programme.EndsAt = now;
        audit.Record(actorUserId, "subsidy.end", "subsidy_programme", programme.Id,
            new { programme.Name, EndedAt = now, Cancelled = !started, SpentFen = programme.SpentFen, programme.CapFen });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new(programme.Id, []);
    }
}
