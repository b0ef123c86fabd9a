// Ankle Pump Coach: bedside enclosure, for a 3D printer (the body prints standing on its back).
//
// A wedge that stands on a bedside table with its sloped face turned to the patient in bed
// (display and button on that face), or hangs on a bed rail with the clip screwed to its
// back. Three parts, chosen with `part`:
//   body  - the shell: OLED window, button hole with a finger ring, buzzer holes, USB opening
//   base  - the bottom plate the ESP32 sits on, screwed into the body's corner pillars
//   clip  - a hook for a bed rail, screwed to the body's back
// Render one with: openscad -D 'part="body"' -o body.stl enclosure.scad
// (hardware/enclosure/render.py does all three and the preview picture).
//
// Every size is in millimetres. The defaults fit an ESP32-DevKitC (55 x 28 mm), a 0.96"
// SSD1306 module (27 x 27 mm), a 24 mm snap-in arcade button and a 12 mm piezo.

part = "body"; // [body, base, clip, all]

/* [Box] */
width = 110;        // left to right
depth = 80;         // front to back, at the base
front_h = 28;       // height of the front edge
back_h = 62;        // height of the back edge: the face slopes up to it, towards the bed
wall = 2.4;         // every wall: six lines of a 0.4 mm nozzle, so it prints solid
corner_r = 5;       // rounded vertical corners

/* [Display] */
oled_window = [25, 14];     // the glass's active area, plus a little; 0.96" panels show 21.7 x 10.9
oled_hole_pitch = [23.5, 23.8]; // its four M2 mounting holes (measure yours: they vary by maker)
oled_pos = 0.36;            // where the window sits along the slope, 0 = front edge, 1 = back

/* [Button] */
button_hole = 24;   // 24 for a 24 mm arcade button; 16.2 for a 16 mm panel switch; 28 for 30 mm arcade
button_ring = 8;    // width of the raised ring round the button, so a hand finds it without looking
button_ring_h = 2.5;
button_pos = 0.55;  // along the slope, as oled_pos
button_x = 28;      // sideways from the centre (the display sits left of the button)

/* [Buzzer] */
buzzer_d = 12.5;    // the piezo's diameter, with clearance; the holes sit in front of it
buzzer_hole = 2.2;
buzzer_x = -38;     // on the slope, far left, away from the hand on the button

/* [USB and board] */
board = [55.5, 28.5];   // ESP32-DevKitC, with clearance
board_standoff = 5;     // under the board, room for the header pins' solder ends
usb_opening = [13, 8];  // micro-USB and USB-C plugs both pass
board_y = 42;           // board centre, from the front; it lies along the left wall, USB end to it,
                        // clear of the button's body and of the cable side of a bed rail

/* [Bed rail clip] */
rail_t = 26;        // thickest rail the hook takes; bed rails are commonly 20-30 mm
clip_w = 30;
clip_reach = 30;    // how far down the hook's front lip reaches
clip_screw_pitch = 40; // two M3 screws, this far apart, through the body's back

/* [Screws] */
screw_d = 3.4;      // M3 clearance
screw_pilot = 2.6;  // M3 self-tapping into the pillars
pillar_d = 8;

$fn = 48;
slope = atan((back_h - front_h) / depth);  // the face's angle above horizontal
board_centre_x = -width / 2 + wall + 0.5 + board[0] / 2;

// The outline in side view (y back, z up): base, back, sloped top, front.
module side_profile(inset = 0) {
    polygon([
        [inset, inset],
        [depth - inset, inset],
        [depth - inset, back_h - inset / cos(slope) + inset * tan(slope)],
        [inset, front_h - inset / cos(slope) - inset * tan(slope)],
    ]);
}

// The solid wedge, rounded at its vertical corners.
module wedge(inset = 0) {
    r = max(corner_r - inset, 0.5);
    w = width - 2 * inset;
    intersection() {
        rotate([90, 0, 90]) translate([0, 0, -w / 2]) linear_extrude(w) side_profile(inset);
        translate([-w / 2 + r, inset + r, -1])
            minkowski() {
                cube([w - 2 * r, depth - 2 * inset - 2 * r, back_h + 2]);
                cylinder(r = r, h = 0.01);
            }
    }
}

// Children placed on the sloped face: x sideways, y up the slope (0..1 of its length), z out.
module on_slope(x, along) {
    translate([x, along * depth, front_h + along * (back_h - front_h)])
        rotate([slope, 0, 0]) children();
}

module pillar_positions() {
    inset = wall + pillar_d / 2 - 1;
    for (x = [-width / 2 + inset, width / 2 - inset], y = [inset, depth - inset]) translate([x, y, 0]) children();
}

module body() {
    difference() {
        union() {
            difference() {
                wedge();
                translate([0, 0, -0.01]) wedge(wall);
            }
            // Corner pillars for the base's screws, trimmed to the wedge.
            intersection() {
                wedge();
                pillar_positions() cylinder(d = pillar_d, h = back_h);
            }
            on_slope(button_x, button_pos) difference() {
                cylinder(d = button_hole + 2 * button_ring, h = button_ring_h);
                translate([0, 0, -1]) cylinder(d = button_hole, h = button_ring_h + 2);
            }
            // Four posts behind the window for the OLED's M2 screws (or a dab of hot glue).
            on_slope(-10, oled_pos) for (sx = [-1, 1], sy = [-1, 1])
                translate([sx * oled_hole_pitch[0] / 2, sy * oled_hole_pitch[1] / 2, -wall - 3])
                    difference() { cylinder(d = 4.5, h = 3.01); translate([0, 0, -1]) cylinder(d = 1.7, h = 5); }
        }
        pillar_positions() translate([0, 0, -1]) cylinder(d = screw_pilot, h = 14);
        on_slope(-10, oled_pos) {
            // The window, chamfered outwards so the screen reads from an angle.
            hull() {
                translate([0, 0, -wall - 0.01]) linear_extrude(0.01) square(oled_window, center = true);
                translate([0, 0, 0.5]) linear_extrude(0.01) square(oled_window + [2 * wall, 2 * wall], center = true);
            }
        }
        on_slope(button_x, button_pos) translate([0, 0, -10]) cylinder(d = button_hole, h = 20);
        // Seven holes over the piezo: a hexagon and its centre.
        on_slope(buzzer_x, oled_pos) for (i = [0 : 6]) {
            r = i == 0 ? 0 : buzzer_d / 2 - buzzer_hole;
            translate([r * cos(60 * i), r * sin(60 * i), -10]) cylinder(d = buzzer_hole, h = 20);
        }
        // USB opening in the left wall, level with the board's socket: its middle is the
        // standoff, the 1.6 mm board and half the socket's 3 mm up.
        usb_z = board_standoff + 1.6 + 1.5;
        translate([-width / 2 - 1, board_y - usb_opening[0] / 2, usb_z - usb_opening[1] / 2])
            cube([wall + 2, usb_opening[0], usb_opening[1]]);
        // The clip's screws.
        for (sx = [-1, 1]) translate([sx * clip_screw_pitch / 2, depth - wall - 1, back_h - 14])
            rotate([-90, 0, 0]) cylinder(d = screw_d, h = wall + 2);
    }
}

module base() {
    difference() {
        union() {
            // The plate, the body's footprint: the walls and pillars stand on it.
            linear_extrude(wall) offset(r = corner_r) offset(delta = -corner_r)
                translate([-width / 2, 0]) square([width, depth]);
            // Standoffs under the board's four corners, its USB end against the left wall.
            translate([board_centre_x, board_y, wall]) for (sx = [-1, 1], sy = [-1, 1])
                translate([sx * (board[0] / 2 - 2), sy * (board[1] / 2 - 2), 0]) cylinder(d = 5, h = board_standoff);
            // A low fence round the other three sides, so the board cannot slide off its standoffs.
            translate([board_centre_x, board_y, wall]) difference() {
                translate([-board[0] / 2, -board[1] / 2 - 1.6, 0]) cube([board[0] + 1.6, board[1] + 3.2, 3]);
                translate([-board[0] / 2 - 1, -board[1] / 2, -1]) cube([board[0] + 1, board[1], 5]);
            }
        }
        pillar_positions() translate([0, 0, -1]) cylinder(d = screw_d, h = wall + 2);
        // Countersinks, so the plate sits flat on the table.
        pillar_positions() translate([0, 0, -0.01]) cylinder(d1 = 6.5, d2 = screw_d, h = 1.6);
    }
}

module clip() {
    t = 4;  // the hook's thickness: stiff enough to carry the box, still a little springy
    difference() {
        union() {
            cube([clip_screw_pitch + 14, t, 24]);                                // plate on the body's back
            translate([(clip_screw_pitch + 14 - clip_w) / 2, 0, 24 - t])
                cube([clip_w, rail_t + 2 * t, t]);                                // over the rail's top
            translate([(clip_screw_pitch + 14 - clip_w) / 2, rail_t + t, 24 - clip_reach])
                cube([clip_w, t, clip_reach]);                                    // down its far side
        }
        for (sx = [-1, 1]) translate([(clip_screw_pitch + 14) / 2 + sx * clip_screw_pitch / 2, -1, 10])
            rotate([-90, 0, 0]) cylinder(d = screw_d, h = t + 2);
    }
}

if (part == "body") body();
if (part == "base") base();
if (part == "clip") clip();
if (part == "all") {
    body();
    color("gray") translate([0, 0, -12]) base();
    color("orange") translate([-(clip_screw_pitch + 14) / 2, depth, back_h - 24]) clip();
}
