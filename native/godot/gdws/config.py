# Engine module build: put (or symlink) this folder at godot/modules/gdws, or build Godot with
# custom_modules=<this repository>/native/godot. SCsub also compiles ../glue and ../../codec.


def can_build(env, platform):
    return True


def configure(env):
    pass
