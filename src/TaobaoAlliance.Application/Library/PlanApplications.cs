using Microsoft.EntityFrameworkCore;
using Npgsql;
using TaobaoAlliance.Application.Catalog;
using TaobaoAlliance.Data;
using TaobaoAlliance.Data.Catalog;

namespace TaobaoAlliance.Application.Library;

/// <summary>Why an application to a targeted plan was refused.</summary>
public enum PlanApplicationRefusal { NoOpenPlan }

/// <summary>The plan applied to (its name), or why not.</summary>
public sealed record PlanApplicationOutcome(string? PlanName, PlanApplicationRefusal? Refusal)
{
    public bool Succeeded => Refusal is null;
}

/// <summary>
/// A webmaster applies to a targeted plan that is open now. The seller decides; until then the webmaster
/// earns the normal rates. Applying again changes nothing (one row per plan and webmaster).
/// </summary>
public sealed class PlanApplications(AllianceDbContext db, TimeProvider clock, ILogger<PlanApplications> logger)
{
    public async Task<PlanApplicationOutcome> ApplyAsync(long planId, long webmasterId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var plan = await db.TargetedPlans.AsNoTracking().OpenAt(now).Where(p => p.Id == planId).Select(p => new { p.Id, p.Name }).SingleOrDefaultAsync(ct);
        if (plan is null) return new(null, PlanApplicationRefusal.NoOpenPlan);
        if (!await db.TargetedPlanMembers.AnyAsync(m => m.PlanId == planId && m.WebmasterId == webmasterId, ct))
        {
            db.TargetedPlanMembers.Add(new TargetedPlanMember { PlanId = planId, WebmasterId = webmasterId, State = PlanMembershipState.Applied, AppliedAt = now });
            try
            {
                await db.SaveChangesAsync(ct);
                logger.LogInformation("Webmaster {WebmasterId} applied to targeted plan {PlanId}", webmasterId, planId);
            }
            catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // A double click raced this request: the application exists, which is all that was asked.
            }
        }
        return new(plan.Name, null);
    }
}
